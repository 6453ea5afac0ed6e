# vm: memory=512M smp=2 timeout=600 disks=work:256M:ext4 expect=all-pass
# Swap over NFS with the tool (tests/vm/tools/swapns_nfs.sh): the kernel's nfsd serves the
# ext4 disk over loopback. A group of its own, so that a hung NFS mount cannot stall others.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
cd /mnt/work
run_test swapns-nfs 400 /tools/swapns-nfs
