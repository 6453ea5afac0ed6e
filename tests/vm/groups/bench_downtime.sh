# vm: memory=1G smp=2 timeout=3000 disks=work:2G:ext4:4096 expect=all-pass
# Benchmark, not a test (not in ctest; run by tests/vm/run-bench, see docs/benchmarks.md): a
# local-disk migration's downtime with 256 MiB swapped against 32 MiB resident only, swapns
# and plain CRIU (tests/vm/tools/downtime_bench.sh). Wall clock: the copy is disk I/O.
ip link set lo up
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mkdir -p /mnt/work && mount -t ext4 /dev/vda /mnt/work && cd /mnt/work
run_test downtime-bench 2800 /tools/downtime-bench
