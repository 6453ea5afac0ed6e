# vm: memory=768M smp=2 timeout=1200 boots=2 disks=shared:1400M:ext4:4096 expect=all-pass
# Two boots of the guest stand for two hosts sharing a disk (tests/vm/tools/migrate_two_hosts.sh):
# the first checkpoints a container with 32 MiB resident and 256 MiB swapped with
# `swapns checkpoint`, the second restores it with `swapns restore`.
ip link set lo up
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mkdir -p /mnt/shared && mount -t ext4 /dev/vda /mnt/shared && cd /mnt/shared
if [ "$boot" = 1 ]; then
	run_test migrate-source 1000 /tools/migrate-two-hosts source
else
	run_test migrate-target 1000 /tools/migrate-two-hosts target
fi
