# vm: memory=512M smp=2 timeout=900 disks=work:512M:ext4 expect=all-pass clock=icount
# Benchmark, not a test (not in ctest; run by tests/vm/run-bench, see docs/benchmarks.md):
# swap-out plus swap-in throughput in the initial namespace with one device, the path every
# system without swap namespaces takes; run on the patched and the unpatched kernel.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
run_test swap-ns-bench-init 800 /bench/swap-ns-bench /mnt/work --init-only --rounds 7 --mb 32
