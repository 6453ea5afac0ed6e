# vm: memory=512M smp=2 timeout=1500 disks=work:512M:ext4 expect=all-pass clock=icount
# Benchmark, not a test (not in ctest; run by tests/vm/run-bench, see docs/benchmarks.md):
# swap-out, and swap-out plus swap-in plus freeing, of a process in a memory cgroup of a cgroup
# v1 hierarchy with the swap controller mounted and charging against not mounted, one boot.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
run_test swap-cgroup-bench 1400 /bench/swap-cgroup-bench /mnt/work --rounds 9 --mb 32
