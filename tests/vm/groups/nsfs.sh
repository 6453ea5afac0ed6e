# vm: memory=256M smp=2 timeout=300 expect=baseline
# Upstream nsfs selftests.
for t in owner pidns; do
	run_test "$t" 120 /tests/nsfs/$t
done
