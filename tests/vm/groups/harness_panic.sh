# vm: memory=256M smp=1 timeout=120 expect=all-pass
# harness-expects: harness_panic: FAILED.*no SWAPNS-GROUP-END marker.*Kernel panic
# Harness self-test: a kernel panic in the middle of a group must fail the run, although the
# only test result printed before it is a pass.
run_test before-panic 30 sh -c 'echo "1..1"; echo "ok 1 printed before the panic"'
echo c > /proc/sysrq-trigger
