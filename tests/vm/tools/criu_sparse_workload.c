// SPDX-License-Identifier: GPL-2.0
// A workload for the criu VM group: 512 pages of private anonymous memory, every other one
// written, the rest never touched. It writes its pid to argv[2], waits for a line on the fifo
// argv[1], and then reports from its own /proc/self/pagemap (reading it faults nothing in)
// which pages are present and which are none, and whether the written data is intact.
// Run it, dump it with CRIU, restore it with --leave-stopped, let it go: the untouched pages,
// absent from CRIU's image, must still be none at their addresses, which is where the kernel
// can later install swap entries for pages that the image leaves out (issue 13).
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PAGES = 512 };
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)

int main(int argc, char **argv)
{
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned int present_written = 0, none_unwritten = 0, intact = 0, i;
	uint64_t entries[PAGES];
	char line[16], *p;
	FILE *f;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FIFO PIDFILE\n", argv[0]);
		return 2;
	}
	p = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	// Small pages only: a huge page would make the untouched pages present.
	madvise(p, PAGES * page_size, MADV_NOHUGEPAGE);
	for (i = 0; i < PAGES; i += 2)
		memset(p + i * page_size, (i / 2) % 251 + 1, page_size);
	f = fopen(argv[2], "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	f = fopen(argv[1], "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, entries, sizeof(entries),
			    (uintptr_t)p / page_size * sizeof(entries[0])) != sizeof(entries)) {
		perror("/proc/self/pagemap");
		return 1;
	}
	close(fd);
	for (i = 0; i < PAGES; i++) {
		if (i % 2 == 0) {
			present_written += !!(entries[i] & PM_PRESENT);
			intact += (unsigned char)p[i * page_size] == (i / 2) % 251 + 1 &&
				  (unsigned char)p[(i + 1) * page_size - 1] == (i / 2) % 251 + 1;
		} else {
			none_unwritten += !(entries[i] & (PM_PRESENT | PM_SWAP));
		}
	}
	printf("written pages present %u of %u, intact %u; unwritten pages none %u of %u\n",
	       present_written, PAGES / 2, intact, none_unwritten, PAGES / 2);
	return !(present_written == PAGES / 2 && intact == PAGES / 2 &&
		 none_unwritten == PAGES / 2);
}
