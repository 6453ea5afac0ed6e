# vm: memory=256M smp=1 timeout=120 boots=2 disks=shared:64M:ext4 expect=all-pass
# Harness self-test of boots=2: the second boot runs with $boot set to 2 and finds on the
# shared disk what the first left there.
mkdir -p /mnt/shared && mount -t ext4 /dev/vda /mnt/shared
if [ "$boot" = 1 ]; then
	run_test first-boot 30 sh -c 'echo "1..1"; echo left-by-boot-1 > /mnt/shared/mark && sync && echo "ok 1 boot 1 leaves a mark"'
else
	run_test second-boot 30 sh -c 'echo "1..1"; if [ "$(cat /mnt/shared/mark)" = left-by-boot-1 ]; then echo "ok 1 boot 2 finds it"; else echo "not ok 1 boot 2 finds it"; fi'
fi
umount /mnt/shared
