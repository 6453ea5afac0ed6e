// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of migrating a container's swapped memory, driven from a shell script
 * around Debian's unmodified CRIU (tests/vm/tools/criu_swapped_workload.sh). Test scaffolding
 * for the criu group, not the product: `swapns checkpoint/restore` is issue 14.
 *
 *   swap-migrate set-aside PID LIST DST
 *       SWAP_NS_IOC_SET_ASIDE on PID's swap namespace for PID; prints "held N". Then reads
 *       commands from stdin: "commit" commits (SWAP_NS_IOC_COMMIT), writes the list to LIST
 *       (struct swap_ns_held_page records) and copies every listed slot of PID's device to
 *       the same offset of DST (O_DIRECT), printing "committed N"; end of input closes the
 *       set-aside (before commit: an abort).
 *   swap-migrate restore-ns DEVICE -- PROGRAM ARGS...
 *       Unshares a swap namespace, swaps DEVICE on in it with SWAP_FLAG_RESTORE, and runs
 *       PROGRAM there (criu restore), waiting for it.
 *   swap-migrate install PID DEVICE LIST
 *       SWAP_NS_IOC_INSTALL of every LIST entry at its address in PID (which must be stopped),
 *       then SWAP_NS_IOC_END_RESTORE; prints "installed N of M" and each refusal's errno count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/swap_ns.h>

#ifndef CLONE_NEWSWAP
#define CLONE_NEWSWAP 0x00000040
#endif

static void die(const char *what)
{
	fprintf(stderr, "swap-migrate: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_ns(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/swap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	return fd;
}

static int open_pidfd(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		die("pidfd_open");
	return fd;
}

/* The path of PID's own swap device, from /proc/PID/swaps (the first "own" row). */
static void own_device(pid_t pid, char *path, size_t len)
{
	char file[64], line[1024], name[512], kind[32], state[32];
	unsigned long size, used;
	int type, prio;
	unsigned int ns;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%d/swaps", pid);
	f = fopen(file, "r");
	if (!f)
		die(file);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d\t%511[^\t]\t%31s\t%lu\t%lu\t%d\t%u\t%31s", &type, name, kind,
			   &size, &used, &prio, &ns, state) == 8 && !strcmp(state, "own")) {
			snprintf(path, len, "%s", name);
			fclose(f);
			return;
		}
	errno = ENODEV;
	die("no device of its own in /proc/PID/swaps");
}

static int set_aside(pid_t pid, const char *list, const char *dst)
{
	int nsfd = open_ns(pid), pidfd = open_pidfd(pid), fd, out, src, to;
	struct swap_ns_set_aside arg = { .pidfds = (unsigned long)&pidfd, .nr_pidfds = 1 };
	struct swap_ns_held_page held[256];
	char device[512], cmd[64], *page;
	size_t total = 0;
	ssize_t r;
	int i;

	own_device(pid, device, sizeof(device));
	fd = ioctl(nsfd, SWAP_NS_IOC_SET_ASIDE, &arg);
	if (fd < 0)
		die("SWAP_NS_IOC_SET_ASIDE");
	while ((r = read(fd, held, sizeof(held))) > 0)
		total += r / sizeof(held[0]);
	printf("held %zu\n", total);
	fflush(stdout);
	while (fgets(cmd, sizeof(cmd), stdin)) {
		if (strcmp(cmd, "commit\n"))
			continue;
		if (ioctl(fd, SWAP_NS_IOC_COMMIT))
			die("SWAP_NS_IOC_COMMIT");
		out = open(list, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		src = open(device, O_RDONLY | O_DIRECT);
		to = open(dst, O_WRONLY | O_DIRECT);
		if (out < 0 || src < 0 || to < 0)
			die("open the list, the device or its copy");
		if (posix_memalign((void **)&page, 4096, 4096))
			die("posix_memalign");
		total = 0;
		lseek(fd, 0, SEEK_SET);
		while ((r = read(fd, held, sizeof(held))) > 0) {
			if (write(out, held, r) != r)
				die("write the list");
			for (i = 0; i < r / (ssize_t)sizeof(held[0]); i++, total++) {
				off_t off = held[i].offset * 4096;

				if (held[i].flags & SWAP_NS_HELD_ZERO)
					continue;
				if (pread(src, page, 4096, off) != 4096 ||
				    pwrite(to, page, 4096, off) != 4096)
					die("copy a slot");
			}
		}
		if (r < 0 || fsync(to))
			die("read the set-aside, or sync the copy");
		close(out);
		close(src);
		close(to);
		printf("committed %zu\n", total);
		fflush(stdout);
	}
	close(fd);
	return 0;
}

static int restore_ns(const char *device, char **argv)
{
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWSWAP))
		die("unshare(CLONE_NEWSWAP)");
	if (swapon(device, SWAP_FLAG_RESTORE))
		die("swapon with SWAP_FLAG_RESTORE");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int install(pid_t pid, const char *device, const char *list)
{
	struct swap_ns_install_entry *e;
	struct swap_ns_held_page held;
	size_t n = 0, room = 1024, i, done;
	int nsfd = open_ns(pid), pidfd = open_pidfd(pid), devfd, in;
	struct swap_ns_device end = { 0 };
	unsigned long refused[256] = { 0 };
	long installed = 0, r;

	devfd = open(device, O_RDONLY | O_CLOEXEC);
	in = open(list, O_RDONLY);
	e = malloc(room * sizeof(*e));
	if (devfd < 0 || in < 0 || !e)
		die("open the device or the list");
	while (read(in, &held, sizeof(held)) == sizeof(held)) {
		if (n == room && !(e = realloc(e, (room *= 2) * sizeof(*e))))
			die("realloc");
		e[n].address = held.address;
		e[n].offset = held.offset;
		e[n].flags = held.flags;
		e[n++].error = 0;
	}
	/* A slot listed for several tasks (after a fork) is shared: the list is by slot. */
	for (i = 1; i < n; i++)
		if (e[i].offset == e[i - 1].offset) {
			e[i].flags |= SWAP_NS_INSTALL_SHARED;
			e[i - 1].flags |= SWAP_NS_INSTALL_SHARED;
		}
	for (done = 0; done < n; done += SWAP_NS_INSTALL_MAX_ENTRIES) {
		struct swap_ns_install arg = {
			.pidfd = pidfd, .device = devfd, .entries = (unsigned long)(e + done),
			.nr_entries = n - done < SWAP_NS_INSTALL_MAX_ENTRIES ?
				      n - done : SWAP_NS_INSTALL_MAX_ENTRIES,
		};

		r = ioctl(nsfd, SWAP_NS_IOC_INSTALL, &arg);
		if (r < 0)
			die("SWAP_NS_IOC_INSTALL");
		installed += r;
	}
	for (i = 0; i < n; i++)
		refused[e[i].error & 255]++;
	end.fd = devfd;
	if (ioctl(nsfd, SWAP_NS_IOC_END_RESTORE, &end))
		die("SWAP_NS_IOC_END_RESTORE");
	printf("installed %ld of %zu", installed, n);
	for (i = 1; i < 256; i++)
		if (refused[i])
			printf(", %lu %s", refused[i], strerrorname_np(i));
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "set-aside"))
		return set_aside(atoi(argv[2]), argv[3], argv[4]);
	if (argc >= 5 && !strcmp(argv[1], "restore-ns") && !strcmp(argv[3], "--"))
		return restore_ns(argv[2], argv + 4);
	if (argc == 5 && !strcmp(argv[1], "install"))
		return install(atoi(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: swap-migrate set-aside PID LIST DST | restore-ns DEVICE -- PROGRAM ARGS... |"
			" install PID DEVICE LIST\n");
	return 2;
}
