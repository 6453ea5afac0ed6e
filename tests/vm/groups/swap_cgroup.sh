# vm: memory=512M smp=2 timeout=900 disks=work:512M:ext4,pages:256M:ext4:4096 expect=all-pass
# The series' swap controller selftest (tools/testing/selftests/cgroup/test_swap_controller.c):
# cgroup v1 mounts of swap with and without memory, and exact accounting. It makes swap files
# in its working directory, so it runs on an ext4 disk.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
cd /mnt/work
run_test test_swap_controller 600 /tests/cgroup/test_swap_controller
# Slots that a restore installs, charged to the swap controller and memsw (the swap_ns
# restore selftest's cgroup v1 case; its swap files are file pages: 4096-byte blocks).
mkdir -p /mnt/pages
mount -t ext4 /dev/vdb /mnt/pages
cd /mnt/pages
run_test swap_ns_restore_v1 300 /tests/swap_ns/swap_ns_restore_test -t "cgroup v1"
cd /
