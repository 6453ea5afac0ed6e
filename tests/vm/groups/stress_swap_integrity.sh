# vm: memory=1024M smp=2 timeout=7200 disks=work:1024M:ext4 expect=all-pass
# The long run of the swap_integrity group, outside CI (cmake --build build --target
# vm-stress): four containers at once, 64 MB each under a 16M limit, 40 rounds.
mkdir -p /mnt/work && mount -t ext4 /dev/vda /mnt/work && cd /mnt/work
run_test swap-integrity 7000 /tools/swap-integrity 64 40 4
