# vm: memory=256M smp=2 timeout=600 expect=all-pass
# The series' own mm owner selftests (tools/testing/selftests/mm_owner).
run_test mm_owner 300 /tests/mm_owner/mm_owner_test
