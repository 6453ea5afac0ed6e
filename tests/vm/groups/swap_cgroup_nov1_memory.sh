# vm: memory=256M smp=1 timeout=300 cmdline=cgroup_no_v1=memory expect=all-pass
# The swap controller selftest with the memory controller kept off cgroup v1
# (cgroup_no_v1=memory): naming swap fails with the reason, and a bare cgroup v1 mount
# leaves swap out instead of failing.
mkdir -p /mnt/work
mount -t tmpfs none /mnt/work
cd /mnt/work
run_test test_swap_controller 120 /tests/cgroup/test_swap_controller
cd /
