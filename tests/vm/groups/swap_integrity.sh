# vm: memory=512M smp=2 timeout=900 disks=work:512M:ext4 expect=all-pass
# Swap data integrity under churn (tests/vm/tools/swap_integrity.sh): two containers at once,
# each with 48 MB under a 16M limit in its own swap namespace and swapfile, three rounds of
# reads, rewrites, forked readers and MADV_PAGEOUT. The long run is the stress_swap_integrity
# group (cmake --build build --target vm-stress).
mkdir -p /mnt/work && mount -t ext4 /dev/vda /mnt/work && cd /mnt/work
run_test swap-integrity 600 /tools/swap-integrity 48 3 2
