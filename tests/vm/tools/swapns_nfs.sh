#!/bin/sh
# Swap over NFS: the guest's own kernel nfsd exports a directory of the ext4 disk over
# loopback, and swapns makes swapfiles on the NFS mount and swaps a namespace's workload
# there under a memory cgroup limit. Only memcg pressure: under global memory pressure, nfsd
# in the same machine may itself need memory to write out the pages that would free it.
dir=$PWD
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..5"
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
export_dir=$dir/export
mkdir -p "$export_dir" /mnt/nfs
mount -t nfsd nfsd /proc/fs/nfsd
# What rpc.mountd would answer nfsd's upcalls with, put in its caches ahead of time: the
# client at 127.0.0.1 is "swapns", which may mount $export_dir as the NFSv4 root (fsid 0),
# read-write, root not squashed (flags: insecure 0x2, no_subtree_check 0x400, fsid 0x2000).
never=2147483647
echo "nfsd 127.0.0.1 $never swapns" > /proc/net/rpc/auth.unix.ip/channel
echo "swapns $export_dir $never 9218 65534 65534 0" > /proc/net/rpc/nfsd.export/channel
printf '%s\n' "swapns 1 \\x00000000 $never $export_dir" > /proc/net/rpc/nfsd.fh/channel
# The shortest grace period: new files cannot be opened until it is over.
echo 10 > /proc/fs/nfsd/nfsv4leasetime
echo 10 > /proc/fs/nfsd/nfsv4gracetime
echo "-3 +4" > /proc/fs/nfsd/versions
echo "tcp 2049" > /proc/fs/nfsd/portlist
echo 2 > /proc/fs/nfsd/threads
# NFSv4.0: the guest kernel has no NFS_V4_1.
mount -t nfs4 -o vers=4.0,addr=127.0.0.1,clientaddr=127.0.0.1 127.0.0.1:/ /mnt/nfs 2>/tmp/nfs.err
sed 's/^/# mount: /' /tmp/nfs.err
grep " /mnt/nfs " /proc/mounts | sed 's/^/# /'
echo probe > /mnt/nfs/probe 2>/tmp/probe.err
sed 's/^/# probe: /' /tmp/probe.err
check "nfsd exports $export_dir to 127.0.0.1, mounted on /mnt/nfs" \
	sh -c "grep -q ' /mnt/nfs nfs4 ' /proc/mounts && [ \"\$(cat $export_dir/probe)\" = probe ]"

swapns mkswap /mnt/nfs/mk.swap --size 16M >/tmp/mk.out 2>&1
rc=$?
sed 's/^/# /' /tmp/mk.out
check "mkswap on NFS: written in full, swapon takes it (rc $rc)" \
	sh -c "[ $rc = 0 ] && grep -q 'on nfs' /tmp/mk.out && swapon /mnt/nfs/mk.swap && swapoff /mnt/nfs/mk.swap"
rm -f /mnt/nfs/mk.swap

export dir
swapns unshare --swapfile /mnt/nfs/job.swap:48M --memory-max 12M -- sh -c '
	v=$(head -c 20000000 /dev/zero | tr "\0" b)
	cat /proc/swaps > $dir/nfs-inside.swaps
	echo ${#v} > $dir/nfs-inside.len' 2>/tmp/unshare.err
rc=$?
sed 's/^/# inside: /' "$dir/nfs-inside.swaps"
sed 's/^/# stderr: /' /tmp/unshare.err
check "unshare on NFS: the workload ran under its memory limit (rc $rc)" \
	[ "$rc" = 0 -a "$(cat "$dir/nfs-inside.len")" = 20000000 ]
inside_used=$(awk '$1 == "/mnt/nfs/job.swap" { print $4 }' "$dir/nfs-inside.swaps")
check "unshare on NFS: its pages went to the NFS swapfile ($inside_used KiB)" \
	[ "${inside_used:-0}" -gt 4096 -a "$(grep -vc -e '^Filename' -e /mnt/nfs/job.swap "$dir/nfs-inside.swaps")" = 0 ]
check "unshare on NFS: afterwards the file is off and gone" \
	[ "$rc" = 0 -a -z "$(used_kb /mnt/nfs/job.swap)" -a ! -e /mnt/nfs/job.swap -a ! -e "$export_dir/job.swap" ]

rm -f /mnt/nfs/probe "$dir"/nfs-inside.*
umount /mnt/nfs
echo 0 > /proc/fs/nfsd/threads
