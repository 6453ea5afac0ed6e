// SPDX-License-Identifier: GPL-2.0
// Swap data integrity under churn, for the VM tier: private anonymous memory larger than the
// caller's memory limit, every page stamped with what it must hold, read back, rewritten,
// shared copy-on-write with forked readers and pushed out with MADV_PAGEOUT, round after round.
// Every page is checked against its stamp on each read; a page that comes back with another
// page's data, an older generation of its own, or zeroes is reported by what it holds, which
// tells a slot shared by two pages from a stale slot reused or a write never done.
//
// Usage: swap-integrity-stress MB ROUNDS [SEED [--corrupt]]
// --corrupt overwrites one page behind the checker's back, to show that it finds it.
// Prints one summary line, and one line per bad page (the first 20); exit 0 if every page
// read was intact, 1 if not, 2 on a usage or system error.
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAGIC 0x5357504e53u	// "SWPNS": the stamp's first word is MAGIC, page, generation
#define MAX_REPORTED 20

struct region {
	uint64_t *mem;
	uint32_t *generation;	// what each page must hold now
	size_t pages;
	size_t words;		// per page
	uint64_t seed;
	unsigned long bad;
};

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t *page_of(struct region *r, size_t page)
{
	return r->mem + page * r->words;
}

static void stamp(struct region *r, size_t page, uint32_t gen)
{
	uint64_t *w = page_of(r, page), x = splitmix(r->seed ^ (page << 32) ^ gen);

	w[0] = (uint64_t)MAGIC << 24 ^ (uint64_t)page << 32 ^ gen;
	w[1] = (uint64_t)page << 32 | gen;
	for (size_t i = 2; i < r->words; i++)
		w[i] = x = splitmix(x);
	r->generation[page] = gen;
}

// Whether @page holds its stamp; if not, say what it holds instead.
static int check(struct region *r, size_t page, const char *who)
{
	const uint64_t *w = page_of(r, page);
	uint32_t gen = r->generation[page];
	uint64_t x = splitmix(r->seed ^ (page << 32) ^ gen);
	size_t i, first_bad = 0;
	int zero = 1;

	if (w[0] != ((uint64_t)MAGIC << 24 ^ (uint64_t)page << 32 ^ gen) ||
	    w[1] != ((uint64_t)page << 32 | gen))
		first_bad = 1;
	for (i = 2; i < r->words && !first_bad; i++) {
		x = splitmix(x);
		if (w[i] != x)
			first_bad = i;
	}
	if (!first_bad)
		return 1;
	for (i = 0; i < r->words; i++)
		zero &= !w[i];
	if (r->bad++ < MAX_REPORTED)
		printf("%s: page %zu (gen %" PRIu32 ") bad from word %zu: holds %s page %" PRIu64
		       " gen %" PRIu64 "\n", who, page, gen, first_bad,
		       zero ? "zeroes, not" : "the stamp of", w[1] >> 32, w[1] & 0xffffffffu);
	return 0;
}

static int check_all(struct region *r, const char *who)
{
	unsigned long before = r->bad;

	for (size_t page = 0; page < r->pages; page++)
		check(r, page, who);
	return r->bad == before;
}

// A child reads the memory it shares copy-on-write with the parent while the parent rewrites
// some of it; the child's view is the one at fork. Then it rewrites a few pages of its own.
static pid_t fork_reader(struct region *r, uint64_t round)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	r->bad = 0;
	check_all(r, "forked reader");
	for (size_t page = round % 7; page < r->pages; page += 97) {
		stamp(r, page, r->generation[page] + 1000);
		check(r, page, "forked writer");
	}
	fflush(stdout);
	_exit(r->bad ? 1 : 0);
}

static void page_out(struct region *r, uint64_t *rng)
{
	size_t page_size = r->words * 8, first = *rng % r->pages;
	size_t n = 1 + (*rng >> 20) % (r->pages - first);

	*rng = splitmix(*rng);
	madvise(page_of(r, first), n * page_size, MADV_PAGEOUT);
}

int main(int argc, char **argv)
{
	struct region r = { 0 };
	unsigned long mb, rounds, children_bad = 0;
	uint64_t rng;
	size_t page_size = sysconf(_SC_PAGESIZE);

	if (argc < 3 || argc > 5 || (argc == 5 && strcmp(argv[4], "--corrupt")) || !(mb = strtoul(argv[1], NULL, 10)) ||
	    !(rounds = strtoul(argv[2], NULL, 10))) {
		fprintf(stderr, "usage: %s MB ROUNDS [SEED [--corrupt]]\n", argv[0]);
		return 2;
	}
	r.seed = argc >= 4 ? strtoull(argv[3], NULL, 0) : (uint64_t)getpid();
	rng = splitmix(r.seed);
	r.words = page_size / 8;
	r.pages = mb * 1024 * 1024 / page_size;
	r.mem = mmap(NULL, r.pages * page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r.generation = calloc(r.pages, sizeof(*r.generation));
	if (r.mem == MAP_FAILED || !r.generation) {
		perror("memory");
		return 2;
	}
	for (size_t page = 0; page < r.pages; page++)
		stamp(&r, page, 0);
	if (argc == 5)
		memcpy(page_of(&r, r.pages / 2), page_of(&r, 1), page_size);

	for (uint64_t round = 1; round <= rounds; round++) {
		pid_t reader = fork_reader(&r, round);
		int status;

		if (reader < 0) {
			perror("fork");
			return 2;
		}
		// Rewrite an eighth of the pages while the reader reads the old ones.
		for (size_t i = 0; i < r.pages / 8; i++) {
			size_t page = (rng = splitmix(rng)) % r.pages;

			if (check(&r, page, "rewrite"))
				stamp(&r, page, r.generation[page] + 1);
			if (i % 256 == 0)
				page_out(&r, &rng);
		}
		if (waitpid(reader, &status, 0) < 0) {
			perror("waitpid");
			return 2;
		}
		children_bad += !WIFEXITED(status) || WEXITSTATUS(status);
		page_out(&r, &rng);
		check_all(&r, "reader");
	}
	printf("%lu MB, %lu rounds, seed %#" PRIx64 ": %lu bad pages, %lu forked readers failed\n",
	       mb, rounds, r.seed, r.bad, children_bad);
	return r.bad || children_bad;
}
