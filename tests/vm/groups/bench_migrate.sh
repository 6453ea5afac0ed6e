# vm: memory=512M smp=2 timeout=1500 disks=work:1G:ext4:4096 expect=all-pass clock=icount
# Benchmark, not a test (not in ctest; run by tests/vm/run-bench, see docs/benchmarks.md):
# setting aside 256 MiB of swapped-out pages (with commit, reading the list and closing)
# against swapping the same pages in. The swapfile's slots must be its pages: 4096-byte blocks.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
run_test swap-migrate-bench 1400 /bench/swap-migrate-bench /mnt/work --rounds 3 --mb 256
