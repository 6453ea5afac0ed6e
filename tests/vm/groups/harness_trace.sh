# vm: memory=256M smp=1 timeout=120 expect=all-pass
# harness-expects: harness_trace: FAILED.*kernel reported problems on the console
# Harness self-test: a stack dump on the console must fail the run even though every test
# passed and the group ended normally.
run_test passing 30 sh -c 'echo "1..1"; echo "ok 1 passes"'
echo l > /proc/sysrq-trigger
sleep 2
