# vm: memory=512M smp=2 timeout=1500 disks=work:256M:ext4,mig:400M:ext4:4096 expect=all-pass
# Debian's CRIU in the guest (tests/vm/tools/criu_swapped_workload.sh): criu check, and a
# dump and restore of a workload whose memory is mostly in its own namespace's swap file.
# `criu check` needs lo up and devpts (/dev/ptmx).
ip link set lo up
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mkdir -p /mnt/work && mount -t ext4 /dev/vda /mnt/work && cd /mnt/work
run_test criu-swapped-workload 900 /tools/criu-swapped-workload
# The migration of issue 13 around the same CRIU: the held slots are file pages, so the
# swap files sit on 4096-byte blocks.
mkdir -p /mnt/mig && mount -t ext4 /dev/vdb /mnt/mig && cd /mnt/mig
run_test criu-migrate-workload 900 /tools/criu-migrate-workload
# The same migration through the tool (issue 14): swapns checkpoint, verify, restore.
run_test swapns-migrate 900 /tools/swapns-migrate
