#!/bin/sh
# Swap data integrity under churn, as a TAP program: INSTANCES containers at once, each in a
# swap namespace of its own with its own 128M swapfile under a 16M memory limit, run
# /tools/swap-integrity-stress (stamped pages read back, rewritten, shared with forked readers,
# paged out) for ROUNDS rounds over MB of memory. Every page read must hold its stamp, and the
# swap a container uses must stay near its data: a slot that is never freed, or a page that
# takes a new slot each time it is reclaimed, shows as swap use past 1.25 x MB (the forked
# readers' copy-on-write copies of the rewritten eighth are the rest).
# usage: swap-integrity MB ROUNDS INSTANCES (working directory on a disk with room for the files)
dir=$PWD mb=$1 rounds=$2 instances=$3
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..$((instances * 2))"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
for i in $(seq "$instances"); do
	rm -f "$dir/integrity-$i.swap"
	# The stress program's summary, then the namespace's device line and its cgroup's peak.
	swapns unshare --swapfile "$dir/integrity-$i.swap:128M" --memory-max 16M -- sh -c '
		/tools/swap-integrity-stress "$0" "$1" "$2"
		rc=$?
		awk "NR > 1 { print \"swap used\", \$5 }" /proc/self/swaps
		echo "swap peak $(($(cat /sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/memory.swap.peak) / 1024))"
		exit $rc' "$mb" "$rounds" "$((i * 7919))" >"$dir/integrity-$i.out" 2>&1 &
done
wait
for i in $(seq "$instances"); do
	sed "s/^/# $i: /" "$dir/integrity-$i.out"
	check "container $i: every page read back held its data" \
		grep -q ": 0 bad pages, 0 forked readers failed$" "$dir/integrity-$i.out"
	peak=$(awk '$1 == "swap" && $2 == "peak" { print $3 }' "$dir/integrity-$i.out")
	check "container $i: its swap use peaked at ${peak:-?} kB, within 1.25 x its $mb MB" \
		[ "${peak:-999999999}" -le "$((mb * 1024 * 5 / 4))" ]
	rm -f "$dir/integrity-$i.swap" "$dir/integrity-$i.out"
done
