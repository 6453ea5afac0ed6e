// SPDX-License-Identifier: GPL-2.0
// The criu scripts' workload: MB of private anonymous memory filled from a seeded generator,
// run under a memory limit and paged out (MADV_PAGEOUT) so that nearly all of it is in swap. It writes "MB MB, seed S, checksum C"
// to PREFIX.sum and its pid to PREFIX.pid, waits for a line on the fifo GO, then checks every
// page against the generator in place and writes the same line to PREFIX.sum.restored, or,
// if pages changed, how many and the first few with what they hold. Reading in place keeps
// the memory it needs to its own: a shell variable would be copied by each expansion, which
// a check under the memory limit must not pay for in swap.
//
// With RESIDENT_MB, the first RESIDENT_MB are written after the rest is paged out and stay in
// memory (the limit must leave room for them): a container with part of its memory resident.
//
// usage: swapped-workload MB PREFIX GO [RESIDENT_MB]
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

// Writes @text to @path through a temporary name, so that a reader never sees half of it.
static int publish(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path)) {
		perror(path);
		return -1;
	}
	return 0;
}

// Fills pages [@from, @to) of @mem from the generator; returns their checksum.
static uint64_t fill(uint64_t *mem, size_t words_per_page, uint64_t seed, size_t from, size_t to)
{
	uint64_t sum = 0;

	for (size_t p = from; p < to; p++) {
		uint64_t x = splitmix(seed ^ p);

		for (size_t i = 0; i < words_per_page; i++)
			sum ^= mem[p * words_per_page + i] = x = splitmix(x);
	}
	return sum;
}

int main(int argc, char **argv)
{
	size_t words_per_page = sysconf(_SC_PAGESIZE) / 8, pages, resident = 0, bad = 0;
	uint64_t seed, sum = 0, *mem;
	char path[4096], line[512], report[4096];
	unsigned long mb;
	int fd, used = 0;

	if (argc < 4 || argc > 5 || !(mb = strtoul(argv[1], NULL, 10)) ||
	    (argc == 5 && strtoul(argv[4], NULL, 10) > mb)) {
		fprintf(stderr, "usage: %s MB PREFIX GO [RESIDENT_MB]\n", argv[0]);
		return 2;
	}
	fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, &seed, sizeof(seed)) != sizeof(seed)) {
		perror("/dev/urandom");
		return 2;
	}
	close(fd);
	pages = mb * 1024 * 1024 / 8 / words_per_page;
	if (argc == 5)
		resident = strtoul(argv[4], NULL, 10) * 1024 * 1024 / 8 / words_per_page;
	mem = mmap(NULL, pages * words_per_page * 8, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	// Out to swap now, not only what the limit pushes out: the scripts check that a
	// checkpoint leaves swapped pages where they are, so nearly all of them must be.
	sum = fill(mem, words_per_page, seed, resident, pages);
	madvise(mem + resident * words_per_page, (pages - resident) * words_per_page * 8,
		MADV_PAGEOUT);
	sum ^= fill(mem, words_per_page, seed, 0, resident);
	snprintf(line, sizeof(line), "%lu MB, seed %#" PRIx64 ", checksum %#" PRIx64 "\n", mb,
		 seed, sum);
	snprintf(path, sizeof(path), "%s.sum", argv[2]);
	if (publish(path, line))
		return 2;
	snprintf(path, sizeof(path), "%s.pid", argv[2]);
	snprintf(report, sizeof(report), "%d\n", getpid());
	if (publish(path, report))
		return 2;

	// Blocks in open() until the script writes; a restored process does so again.
	FILE *go = fopen(argv[3], "r");
	if (!go || !fgets(report, sizeof(report), go)) {
		perror(argv[3]);
		return 2;
	}

	sum = 0;
	for (size_t p = 0; p < pages; p++) {
		uint64_t x = splitmix(seed ^ p), *w = mem + p * words_per_page;
		int page_bad = 0;

		for (size_t i = 0; i < words_per_page; i++) {
			x = splitmix(x);
			page_bad |= w[i] != x;
			sum ^= w[i];
		}
		if (page_bad && bad++ < 10 && used < (int)sizeof(report) - 200)
			used += snprintf(report + used, sizeof(report) - used,
					 "page %zu changed: word 0 %#" PRIx64 "%s\n", p, w[0],
					 w[0] || w[1] ? "" : " (zeroes)");
	}
	if (bad) {
		snprintf(line, sizeof(line), "%lu MB, seed %#" PRIx64 ": %zu of %zu pages changed\n",
			 mb, seed, bad, pages);
		snprintf(path, sizeof(path), "%s.bad", argv[2]);
		publish(path, report);
	} else {
		snprintf(line, sizeof(line), "%lu MB, seed %#" PRIx64 ", checksum %#" PRIx64 "\n",
			 mb, seed, sum);
	}
	snprintf(path, sizeof(path), "%s.sum.restored", argv[2]);
	return publish(path, line) ? 2 : 0;
}
