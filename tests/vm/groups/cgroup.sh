# vm: memory=1G smp=2 timeout=2400 disks=work:1G:ext4,swap:512M expect=baseline
# Upstream cgroup selftests. test_memcontrol needs its working directory on a real filesystem
# (page cache tests) and lo up; test_freezer and test_kill need INOTIFY_USER.
mkdir -p /mnt/work /sys/fs/cgroup
mount -t ext4 /dev/vda /mnt/work
mkswap /dev/vdb >/dev/null && swapon /dev/vdb
mount -t cgroup2 none /sys/fs/cgroup
cd /mnt/work
for t in test_core test_cpu test_cpuset test_freezer test_kill; do
	run_test "$t" 900 /tests/cgroup/$t
done
# Cases with a 'rerun' entry in known-flaky.txt (the reasons are there): rerun once if they fail.
run_test_rerun test_kmem 900 2 /tests/cgroup/test_kmem
run_test_rerun test_memcontrol 900 8 /tests/cgroup/test_memcontrol
for t in test_pids test_zswap test_hugetlb_memcg; do
	run_test "$t" 900 /tests/cgroup/$t
done
cd /
