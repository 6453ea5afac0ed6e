# vm: memory=256M smp=2 timeout=900 disks=work:256M:ext4,pages:256M:ext4:4096 expect=all-pass
# The series' own swap namespace selftests (tools/testing/selftests/swap_ns). The device
# tests make swap files in their working directory, so they run on an ext4 disk. The
# devices program hibernates to a swap file, which needs the file's first block to start
# a page: its disk has 4096-byte blocks (a small ext4 gets 1024-byte blocks otherwise).
mkdir -p /mnt/work /mnt/pages
mount -t ext4 /dev/vda /mnt/work
mount -t ext4 /dev/vdb /mnt/pages
run_test swap_ns 300 /tests/swap_ns/swap_ns_test
cd /mnt/pages
run_test swap_ns_devices 300 env SWAP_NS_TEST_HIBERNATE=1 /tests/swap_ns/swap_ns_devices_test
cd /mnt/work
run_test swap_ns_placement 400 /tests/swap_ns/swap_ns_placement_test
# The set-aside copies slots as file pages: its swap files need 4096-byte blocks too.
cd /mnt/pages
run_test swap_ns_migrate 300 /tests/swap_ns/swap_ns_migrate_test
# The restore copies slots into a second file, as a migration tool does. Its cgroup v1 test
# runs in the swap_cgroup group: the memory controller may stay bound to the v1 hierarchy it
# mounts, and the namespace commands below need it on cgroup v2.
run_test swap_ns_restore 300 /tests/swap_ns/swap_ns_restore_test -x "cgroup v1"
# Again on a disk that says it is solid-state: swapon then sets up clusters, and the restore
# takes and frees slots through the cluster lists (the virtio disk is rotational otherwise).
echo 0 > /sys/block/vdb/queue/rotational
run_test swap_ns_restore_ssd 300 /tests/swap_ns/swap_ns_restore_test -x "cgroup v1"
echo 1 > /sys/block/vdb/queue/rotational
cd /mnt/work
# swapns mkswap: a file the kernel takes on ext4 and on ext2 (no fallocate: zeros written);
# tmpfs and an existing file are refused.
run_test swapns-mkswap 180 sh -c '
	echo "TAP version 13"
	echo "1..5"
	if swapns mkswap /mnt/work/mk.swap --size 16M --label vmtest >/tmp/mkswap.out &&
	   swapon /mnt/work/mk.swap &&
	   grep -q "^/mnt/work/mk.swap " /proc/swaps; then
		echo "ok 1 swapns mkswap on ext4: swapon accepts the file"
	else
		echo "not ok 1 swapns mkswap on ext4: swapon accepts the file"
	fi
	sed "s/^/# /" /tmp/mkswap.out
	swapoff /mnt/work/mk.swap
	mkdir -p /mnt/shm && mount -t tmpfs none /mnt/shm
	if ! swapns mkswap /mnt/shm/x.swap --size 16M 2>/tmp/mkswap.err &&
	   grep -q "is on tmpfs" /tmp/mkswap.err && [ ! -e /mnt/shm/x.swap ]; then
		echo "ok 2 swapns mkswap refuses tmpfs and leaves nothing"
	else
		echo "not ok 2 swapns mkswap refuses tmpfs and leaves nothing"
	fi
	umount /mnt/shm
	if ! swapns mkswap /mnt/work/mk.swap --size 16M 2>/tmp/mkswap.err &&
	   grep -q "exists; pass --force" /tmp/mkswap.err; then
		echo "ok 3 swapns mkswap keeps an existing file without --force"
	else
		echo "not ok 3 swapns mkswap keeps an existing file without --force"
	fi
	sed "s/^/# /" /tmp/mkswap.err
	rm -f /mnt/work/mk.swap
	if swapns mkswap /mnt/work/p.swap --size 16M --priority 9 >/tmp/mkswap.out &&
	   awk "\$1 == \"/mnt/work/p.swap\" && \$5 == 9 { found = 1 } END { exit !found }" /proc/swaps; then
		echo "ok 4 swapns mkswap --priority swaps the file on with that priority"
	else
		echo "not ok 4 swapns mkswap --priority swaps the file on with that priority"
	fi
	cat /proc/swaps | sed "s/^/# /"
	swapoff /mnt/work/p.swap
	rm -f /mnt/work/p.swap
	truncate -s 40M /mnt/work/ext2.img && mke2fs -F /mnt/work/ext2.img >/dev/null 2>&1
	mkdir -p /mnt/ext2 && mount -o loop -t ext2 /mnt/work/ext2.img /mnt/ext2
	if swapns mkswap /mnt/ext2/e.swap --size 16M >/tmp/mkswap.out 2>&1 &&
	   swapon /mnt/ext2/e.swap && grep -q "^/mnt/ext2/e.swap " /proc/swaps; then
		echo "ok 5 swapns mkswap on ext2 (no fallocate): swapon accepts the file"
	else
		echo "not ok 5 swapns mkswap on ext2 (no fallocate): swapon accepts the file"
	fi
	sed "s/^/# /" /tmp/mkswap.out
	swapoff /mnt/ext2/e.swap
	umount /mnt/ext2 && rm -f /mnt/work/ext2.img
'
# The tool reads the namespace and its devices (/proc/PID/swaps) as the kernel reports them.
run_test swapns-status 60 sh -c '
	echo "TAP version 13"
	echo "1..2"
	dd if=/dev/zero of=/mnt/work/tool.swap bs=1M count=8 2>/dev/null
	mkswap /mnt/work/tool.swap >/dev/null && swapon /mnt/work/tool.swap
	ino=$(readlink /proc/$$/ns/swap | tr -dc 0-9)
	swapns status -t $$ | sed "s/^/# /"
	if swapns status -t $$ --json | grep -q "\"inode\": $ino"; then
		echo "ok 1 swapns status: namespace inode $ino"
	else
		echo "not ok 1 swapns status: namespace inode $ino"
	fi
	# The usable size depends on how ext4 laid out the file (8000 to 8999 KiB); the rest is
	# fixed. Read as a script would: raw, exact sizes, the columns named.
	set -- $(swapns status -t $$ --raw --noheadings --bytes -o SWAPTYPE,NAME,TYPE,USED,PRIO,STATE,SIZE)
	kib=$((${7:-0} / 1024))
	if [ "$*" = "0 /mnt/work/tool.swap file 0 -2 own ${7:-}" ] && [ "$kib" -ge 8000 ] && [ "$kib" -le 8999 ]; then
		echo "ok 2 swapns status: the device of the namespace"
	else
		echo "not ok 2 swapns status: the device of the namespace"
	fi
	swapoff /mnt/work/tool.swap
'
# swapns unshare, enter, swapon -t and swapoff -t end to end (tests/vm/tools).
run_test swapns-namespace-commands 300 /tools/swapns-namespace-commands
