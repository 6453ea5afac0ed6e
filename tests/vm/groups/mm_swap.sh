# vm: memory=512M smp=2 timeout=1800 disks=swap:512M expect=baseline
# Upstream mm selftests that swap pages out and in (MADV_PAGEOUT, swap cache, populate).
mkswap /dev/vda >/dev/null && swapon /dev/vda
for t in cow madv_populate; do
	run_test "$t" 900 /tests/mm/$t
done
