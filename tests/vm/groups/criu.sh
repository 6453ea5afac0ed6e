# vm: memory=512M smp=2 timeout=1800 disks=work:256M:ext4,mig:400M:ext4:4096,tiny:32M:ext4 expect=all-pass
# Debian's CRIU in the guest (tests/vm/tools/criu_swapped_workload.sh): criu check, and a
# dump and restore of a workload whose memory is mostly in its own namespace's swap file.
# `criu check` needs lo up and devpts (/dev/ptmx).
ip link set lo up
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mkdir -p /mnt/work && mount -t ext4 /dev/vda /mnt/work && cd /mnt/work
run_test criu-swapped-workload 900 /tools/criu-swapped-workload
# The migration of issues 13 and 14 through the tool: swapns checkpoint, verify, restore; the
# swapfiles' blocks are their pages (4096-byte blocks). Then the same when things go wrong;
# /mnt/tiny has no room for a restored swapfile.
mkdir -p /mnt/tiny && mount -t ext4 /dev/vdc /mnt/tiny
mkdir -p /mnt/mig && mount -t ext4 /dev/vdb /mnt/mig && cd /mnt/mig
run_test swapns-migrate 900 /tools/swapns-migrate
run_test swapns-migrate-faults 1200 /tools/swapns-migrate-faults /mnt/tiny
