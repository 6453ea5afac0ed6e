// SPDX-License-Identifier: GPL-2.0
// Where a process's private memory is, from /proc/PID/pagemap: how many pages are present,
// and how many are swapped out on each swap type (the Type column of /proc/PID/swaps).
// Reading pagemap faults nothing in. Needs CAP_SYS_ADMIN for the swap offsets' types.
//
// usage: pagemap-census PID
// prints: present N swapped TYPE:N [TYPE:N...]
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_SWAP_TYPE(e) ((e) & 0x1f)
#define MAX_TYPES 32

int main(int argc, char **argv)
{
	unsigned long long swapped[MAX_TYPES] = { 0 }, present = 0;
	long page_size = sysconf(_SC_PAGESIZE);
	char path[64], line[512];
	FILE *maps;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PID\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[1]);
	fd = open(path, O_RDONLY);
	if (!maps || fd < 0) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long start, end;
		char perms[5];

		// Private mappings only: what a checkpoint's swapped pages are.
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) != 3 || perms[3] != 'p')
			continue;
		for (unsigned long addr = start; addr < end; addr += page_size) {
			uint64_t e;

			if (pread(fd, &e, sizeof(e), addr / page_size * sizeof(e)) != sizeof(e))
				break;
			if (e & PM_PRESENT)
				present++;
			else if (e & PM_SWAP)
				swapped[PM_SWAP_TYPE(e)]++;
		}
	}
	printf("present %llu swapped", present);
	for (int t = 0; t < MAX_TYPES; t++)
		if (swapped[t])
			printf(" %d:%llu", t, swapped[t]);
	printf("\n");
	return 0;
}
