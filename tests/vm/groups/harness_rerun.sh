# vm: memory=256M smp=1 timeout=120 expect=all-pass
# harness-expects: rerun: flips#1: FAIL.*passed on its rerun.*harness_rerun: FAILED.*always#1: FAIL \(stays broken\), and FAIL again on its rerun
# Harness self-test of the 'rerun' entries of known-flaky.txt (harness_rerun/flips#1 and
# harness_rerun/always#1): a case that fails once and passes on its rerun in the same boot is
# accepted; a case that fails on its rerun too fails the run.
run_test_rerun flips 30 1 sh -c 'echo "1..1"; if [ -e /tmp/flipped ]; then echo "ok 1 flips"; else touch /tmp/flipped; echo "not ok 1 flips"; fi'
run_test_rerun always 30 1 sh -c 'echo "1..1"; echo "not ok 1 stays broken"'
