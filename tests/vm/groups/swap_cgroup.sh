# vm: memory=512M smp=2 timeout=900 disks=work:512M:ext4 expect=all-pass
# The series' swap controller selftest (tools/testing/selftests/cgroup/test_swap_controller.c):
# cgroup v1 mounts of swap with and without memory, and exact accounting. It makes swap files
# in its working directory, so it runs on an ext4 disk.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
cd /mnt/work
run_test test_swap_controller 600 /tests/cgroup/test_swap_controller
cd /
