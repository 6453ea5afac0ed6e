# vm: memory=256M smp=1 timeout=45 expect=all-pass
# harness-expects: harness_hang: FAILED.*did not finish within 45s.*no SWAPNS-GROUP-END marker
# Harness self-test: a guest that never finishes must fail the run when the host timeout hits.
run_test before-hang 30 sh -c 'echo "1..1"; echo "ok 1 printed before the hang"'
sleep 100000
