# vm: memory=256M smp=2 timeout=600 expect=baseline
# Upstream clone3 selftests.
for t in clone3 clone3_clear_sighand clone3_set_tid clone3_cap_checkpoint_restore; do
	run_test "$t" 120 /tests/clone3/$t
done
