#!/bin/sh
# Benchmark (issue 14): a container's downtime in a local-disk migration, from the freeze to the
# restored tasks running, measured as the wall time of `swapns checkpoint` plus that of
# `swapns restore` (both include a few checks before the freeze and after the resume: an
# upper bound). Two containers: 256 MiB swapped + 32 MiB resident, and 32 MiB resident only;
# the ratio is the cost of the swapped part. Plain CRIU side by side: `criu dump` (which reads
# every swapped page back) plus `criu restore` of the same two containers.
# Prints '# bench NAME VALUE' lines (tests/vm/run-bench collects them).
# usage: downtime-bench (working directory on an ext4 disk with 4096-byte blocks, 1.6G free)
dir=$PWD
. /tools/tap-lib.sh
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; } # 10 ms steps
echo "TAP version 13"
echo "1..8"

start() { # MB RESIDENT_MB: a container, 48M limit; sets pid
	rm -rf "$dir/img" "$dir/go" "$dir/d."* "$dir/t.swap"
	mkfifo "$dir/go"
	setsid swapns unshare --swapfile "$dir/d.swap:320M" --memory-max 48M -- \
		/tools/swapped-workload "$1" "$dir/d" "$dir/go" "$2" </dev/null >"$dir/d.out" 2>&1 &
	for i in $(seq 600); do [ -s "$dir/d.pid" ] && break; sleep 1; done
	pid=$(cat "$dir/d.pid")
	sleep 2
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)
}
finish() { # NAME: let the restored container check its memory, then end it
	echo go > "$dir/go"
	for i in $(seq 120); do [ -s "$dir/d.sum.restored" ] && break; sleep 1; done
	check_that "$1: the restored container's memory verifies" 'cmp -s "$dir/d.sum" "$dir/d.sum.restored"' ||
		dmesg | grep -E "oom-kill|Killed process" | tail -3 | sed 's/^/# /'
	wait
	swapoff "$dir/t.swap" 2>/dev/null
	for c in /sys/fs/cgroup/swapns-*; do [ -d "$c" ] && { echo 1 > "$c/cgroup.kill"; rmdir "$c"; }; done 2>/dev/null
}
swapns_downtime() { # NAME MB RESIDENT_MB
	start "$2" "$3"
	t0=$(now_ms)
	swapns checkpoint -q -t "$pid" "$dir/img" 2>"$dir/err" || sed 's/^/# /' "$dir/err"
	t1=$(now_ms)
	wait
	swapns restore -q "$dir/img" --swapfile "$dir/t.swap" >/dev/null 2>"$dir/err" || sed 's/^/# /' "$dir/err"
	t2=$(now_ms)
	echo "# bench downtime_swapns_$1_ms $((t2 - t0)) (checkpoint $((t1 - t0)), restore $((t2 - t1)))"
	eval "swapns_$1=$((t2 - t0))"
	finish "swapns, $1"
}
criu_downtime() { # NAME MB RESIDENT_MB
	start "$2" "$3"
	mkdir -p "$dir/img"
	# CRIU's parasite reads every swapped page back inside the container's cgroup and holds
	# them in pipes: at its 48M limit the container is OOM-killed mid-dump (measured). A
	# runtime must lift the limit first; so does this, before the clock starts.
	echo max > "$cg/memory.max"
	t0=$(now_ms)
	criu dump -j -t "$pid" -D "$dir/img" -o dump.log || grep Error "$dir/img/dump.log" | sed 's/^/# /'
	t1=$(now_ms)
	wait
	criu restore -j -d -D "$dir/img" -o restore.log || grep Error "$dir/img/restore.log" | sed 's/^/# /'
	t2=$(now_ms)
	echo "# bench downtime_criu_$1_ms $((t2 - t0)) (dump $((t1 - t0)), restore $((t2 - t1)))"
	eval "criu_$1=$((t2 - t0))"
	finish "criu, $1"
}

swapns_downtime swapped 288 32
check "swapns: measured with 256 MiB swapped ($swapns_swapped ms)" [ "${swapns_swapped:-0}" -gt 0 ]
swapns_downtime resident 32 32
check "swapns: measured with 32 MiB resident only ($swapns_resident ms)" [ "${swapns_resident:-0}" -gt 0 ]
criu_downtime swapped 288 32
check "plain CRIU: measured with 256 MiB swapped ($criu_swapped ms)" [ "${criu_swapped:-0}" -gt 0 ]
criu_downtime resident 32 32
check "plain CRIU: measured with 32 MiB resident only ($criu_resident ms)" [ "${criu_resident:-0}" -gt 0 ]
echo "# bench downtime_ratio_swapns $(awk -v a="$swapns_swapped" -v b="$swapns_resident" 'BEGIN { printf "%.2f", a / b }')"
echo "# bench downtime_ratio_criu $(awk -v a="$criu_swapped" -v b="$criu_resident" 'BEGIN { printf "%.2f", a / b }')"
