# vm: memory=256M smp=2 timeout=600 expect=all-pass
# The series' own swap namespace selftests (tools/testing/selftests/swap_ns).
run_test swap_ns 300 /tests/swap_ns/swap_ns_test
