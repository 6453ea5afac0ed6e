// Two "containers", each in its own swap namespace with its own swapfile and a memory limit,
// pushed into swap: shows what each sees in /proc/swaps and free, where each one's pages went
// (per device, from /proc/PID/pagemap), that the host's swap device stayed untouched, and that
// the data came back intact. Prints TAP, so the README demo is also a VM test.
//
// usage: swap-containers-demo DIR   (DIR on a filesystem that can hold swapfiles, e.g. ext4)
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "swapns/namespace_swaps.hpp"
#include "page_census.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "plain_swapfile.hpp"


static_assert(swapns::built_with_swap_ns, "built against the patched kernel's uapi headers (kernel-headers)");

namespace {

constexpr size_t MiB = 1 << 20;
constexpr size_t data_size = 48 * MiB;     // what each container holds
constexpr const char* memory_max = "16M";  // its memory cgroup limit
constexpr size_t swapfile_size = 64 * MiB; // each container's swapfile, and the host's
const size_t page_size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));

[[noreturn]] void bail_out(const std::string& what)
{
	std::printf("Bail out! %s: %s\n", what.c_str(), std::strerror(errno));
	std::fflush(stdout);
	::_exit(1);
}

void write_file(const std::string& path, const std::string& value)
{
	std::ofstream out(path);
	out << value;
	out.flush();
	if (!out)
		bail_out("write " + value + " to " + path);
}

// A swapfile with a version 1 header (what mkswap(8) writes), fully written: no holes.
void make_swapfile(const std::string& path, size_t size)
{
	auto written = swapns::write_plain_swapfile(path, size, page_size);
	if (!written) {
		errno = written.error().errnum();
		bail_out(written.error().context());
	}
}

uint64_t fill_word(size_t off, unsigned seed)
{
	return (uint64_t{seed} << 48) ^ (off * 0x9e3779b97f4a7c15ULL);
}

void print_file_indented(const char* path)
{
	std::ifstream in(path);
	for (std::string line; std::getline(in, line);)
		std::printf("#     %s\n", line.c_str());
}

// The cgroup2 root, mounted if the guest has not mounted it yet.
std::string cgroup_root()
{
	const std::string root = "/sys/fs/cgroup";
	if (::access((root + "/cgroup.procs").c_str(), F_OK) != 0 &&
	    ::mount("none", root.c_str(), "cgroup2", 0, nullptr) != 0)
		bail_out("mount cgroup2 on " + root);
	write_file(root + "/cgroup.subtree_control", "+memory");
	return root;
}

struct Container {
	std::string name;
	std::string swapfile;
	std::string cgroup;
	unsigned seed = 0;
	pid_t pid = 0;
	int to_child = -1, from_child = -1;
	uintptr_t data = 0;
};

void send(int fd, char c)
{
	if (::write(fd, &c, 1) != 1)
		bail_out("write to pipe");
}

char receive(int fd)
{
	char c = 0;
	if (::read(fd, &c, 1) != 1)
		bail_out("read from pipe (did a container die?)");
	return c;
}

// Runs inside the container: a new swap namespace, its own swapfile, a memory limit, and more
// data than the limit lets stay in memory.
[[noreturn]] void container_main(const Container& c, int in, int out)
{
	if (::unshare(static_cast<int>(swapns::clone_newswap)) != 0)
		bail_out(c.name + ": unshare(CLONE_NEWSWAP)");
	make_swapfile(c.swapfile, swapfile_size);
	if (::swapon(c.swapfile.c_str(), 0) != 0)
		bail_out(c.name + ": swapon " + c.swapfile);
	write_file(c.cgroup + "/cgroup.procs", "0");

	auto* data = static_cast<char*>(
		::mmap(nullptr, data_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (data == MAP_FAILED)
		bail_out(c.name + ": mmap");
	::madvise(data, data_size, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < data_size; off += sizeof(uint64_t))
		*reinterpret_cast<uint64_t*>(data + off) = fill_word(off, c.seed);
	auto addr = reinterpret_cast<uintptr_t>(data);
	if (::write(out, &addr, sizeof(addr)) != sizeof(addr))
		bail_out("write to pipe");

	for (;;) {
		switch (receive(in)) {
		case 'S': // show what the container sees
			std::printf("# %s: /proc/swaps inside the container:\n", c.name.c_str());
			print_file_indented("/proc/swaps");
			std::printf("# %s: free (KiB) inside the container:\n", c.name.c_str());
			std::fflush(stdout);
			if (std::system("free | sed 's/^/#     /'") != 0)
				std::printf("#     (free failed)\n");
			std::fflush(stdout);
			send(out, 'k');
			break;
		case 'V': { // read all data back, swapping it in
			bool intact = true;
			for (size_t off = 0; off < data_size; off += sizeof(uint64_t))
				intact &= *reinterpret_cast<uint64_t*>(data + off) == fill_word(off, c.seed);
			send(out, intact ? 'y' : 'n');
			break;
		}
		default: // done: swap off (inside the namespace) and clean up
			::munmap(data, data_size);
			int status = ::swapoff(c.swapfile.c_str());
			::unlink(c.swapfile.c_str());
			std::fflush(stdout);
			::_exit(status == 0 ? 0 : 1);
		}
	}
}

void start(Container& c)
{
	int down[2], up[2];
	if (::pipe(down) || ::pipe(up))
		bail_out("pipe");
	std::fflush(stdout);
	c.pid = ::fork();
	if (c.pid < 0)
		bail_out("fork");
	if (c.pid == 0) {
		::close(down[1]);
		::close(up[0]);
		container_main(c, down[0], up[1]);
	}
	::close(down[0]);
	::close(up[1]);
	c.to_child = down[1];
	c.from_child = up[0];
	if (::read(c.from_child, &c.data, sizeof(c.data)) != sizeof(c.data))
		bail_out(c.name + " did not start");
}

uint64_t host_used_kib(const std::string& path)
{
	std::ifstream in("/proc/swaps");
	std::string line;
	std::getline(in, line); // header
	for (std::string dev, kind; in >> dev >> kind;) {
		uint64_t size = 0, used = 0;
		in >> size >> used;
		std::getline(in, line);
		if (dev == path)
			return used;
	}
	errno = ENOENT;
	bail_out(path + " not in /proc/swaps");
}

int test_number = 0;

void tap(bool ok, const std::string& what)
{
	std::printf("%s %d %s\n", ok ? "ok" : "not ok", ++test_number, what.c_str());
	std::fflush(stdout);
}

// Where the container's data is, by device; true if some is swapped out and all of that is on
// the container's own device. Counts the pages found on the host's device (type host_type).
bool show_where(const swapns::ProcFs& proc, const Container& c, unsigned host_type,
		uint64_t& on_host)
{
	auto devices = swapns::read_namespace_swaps(proc, c.pid);
	auto census = swapns::census_range(proc, c.pid, c.data, data_size, page_size);
	if (!devices || !census) {
		std::printf("# %s: %s\n", c.name.c_str(),
			    (!devices ? devices.error() : census.error()).message().c_str());
		return false;
	}
	unsigned own_type = 0;
	for (const auto& d : *devices)
		if (d.path == c.swapfile)
			own_type = d.type;
	std::printf("# %s: %llu pages of data: %llu in memory, %llu swapped out\n", c.name.c_str(),
		    static_cast<unsigned long long>(census->pages),
		    static_cast<unsigned long long>(census->present),
		    static_cast<unsigned long long>(census->swapped()));
	for (const auto& [type, pages] : census->swapped_by_type)
		std::printf("#     %llu pages on swap type %u%s\n", static_cast<unsigned long long>(pages), type,
			    type == own_type ? (" = " + c.swapfile + ", the container's own").c_str()
					     : ", NOT the container's device");
	if (auto it = census->swapped_by_type.find(host_type); it != census->swapped_by_type.end())
		on_host += it->second;
	return census->swapped() > 0 && census->swapped_elsewhere(own_type) == 0;
}

} // namespace

int main(int argc, char** argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	const std::string dir = argv[1];
	const std::string host_swapfile = dir + "/host.swap";
	const swapns::ProcFs proc;

	std::printf("TAP version 13\n1..6\n");
	std::printf("# Two containers, red and blue, each started in a swap namespace of its own with its\n"
		    "# own %zu MiB swapfile, and each holding %zu MiB of data under a %s memory limit.\n"
		    "# The host has a swapfile of its own too.\n",
		    swapfile_size / MiB, data_size / MiB, memory_max);
	std::string root = cgroup_root();
	make_swapfile(host_swapfile, swapfile_size);
	if (::swapon(host_swapfile.c_str(), 0) != 0)
		bail_out("swapon " + host_swapfile);

	std::vector<Container> containers = {{"red", dir + "/red.swap", root + "/demo-red", 1},
					     {"blue", dir + "/blue.swap", root + "/demo-blue", 2}};
	for (auto& c : containers) {
		::rmdir(c.cgroup.c_str());
		if (::mkdir(c.cgroup.c_str(), 0755) != 0)
			bail_out("mkdir " + c.cgroup);
		write_file(c.cgroup + "/memory.max", memory_max);
	}
	for (auto& c : containers)
		start(c);

	std::printf("# host: /proc/swaps in the initial namespace lists every device:\n");
	print_file_indented("/proc/swaps");
	for (auto& c : containers) {
		send(c.to_child, 'S');
		receive(c.from_child);
	}

	auto host_devices = swapns::read_namespace_swaps(proc, ::getpid());
	if (!host_devices || host_devices->empty())
		bail_out("/proc/self/swaps");
	unsigned host_type = host_devices->front().type;
	std::printf("# Where the data went (from /proc/PID/pagemap; swap types from /proc/PID/swaps):\n");
	uint64_t on_host = 0;
	for (auto& c : containers)
		tap(show_where(proc, c, host_type, on_host),
		    c.name + "'s swapped-out pages are all on its own swapfile");
	std::printf("# host: %s (swap type %u) holds %llu of the containers' pages; %llu KiB in use\n",
		    host_swapfile.c_str(), host_type, static_cast<unsigned long long>(on_host),
		    static_cast<unsigned long long>(host_used_kib(host_swapfile)));
	tap(on_host == 0, "none of the containers' pages went to the host's swapfile");

	for (auto& c : containers) {
		send(c.to_child, 'V');
		tap(receive(c.from_child) == 'y', c.name + "'s data read back intact from its swapfile");
	}
	bool clean = true;
	for (auto& c : containers) {
		send(c.to_child, 'X');
		int status = 0;
		clean &= ::waitpid(c.pid, &status, 0) == c.pid && WIFEXITED(status) &&
			 WEXITSTATUS(status) == 0;
		::rmdir(c.cgroup.c_str());
	}
	tap(clean, "each container swapped off its own swapfile from inside its namespace");
	::swapoff(host_swapfile.c_str());
	::unlink(host_swapfile.c_str());
	return 0;
}
