# vm: memory=512M smp=2 timeout=1500 disks=work:512M:ext4 expect=all-pass clock=icount
# Benchmark, not a test (not in ctest; run by tests/vm/run-bench, see docs/benchmarks.md):
# swap-out plus swap-in throughput in a child swap namespace against the initial one, and with
# 16 namespaces holding a device each against one.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
run_test swap-ns-bench 1400 /bench/swap-ns-bench /mnt/work --rounds 7 --mb 32
