# Shell helpers for the guest's TAP test scripts (tests/vm/tools/*.sh), sourced from
# /tools/tap-lib.sh in the initramfs.
n=0
check() { # DESCRIPTION, then the command that must succeed; returns its verdict
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n $desc"; else echo "not ok $n $desc"; return 1; fi
}
check_that() { # DESCRIPTION, then a shell condition in quotes, evaluated here
	# For conditions with && || or a pipe: written after `check DESC`, those would apply to
	# check's own status and output, not decide the verdict.
	desc=$1
	shift
	n=$((n + 1))
	if eval "$*"; then echo "ok $n $desc"; else echo "not ok $n $desc"; return 1; fi
}
workload_diagnostics() { # NAME: what a failed data check of start_swapped_workload's NAME saw
	echo "# sums: before '$(cat "$dir/$1.sum" 2>/dev/null)'," \
		"after '$(cat "$dir/$1.sum.restored" 2>/dev/null)'"
	echo "# workload $pid: $(awk '{ print "state", $3 }' /proc/$pid/stat 2>/dev/null || echo gone)"
	sed 's/^/# workload output: /' "$dir/$1.out" 2>/dev/null
	sed 's/^/# workload found: /' "$dir/$1.bad" 2>/dev/null
	[ -n "$cg" ] && for f in memory.max memory.current memory.peak memory.swap.current memory.swap.peak memory.events; do
		[ -r "$cg/$f" ] && echo "# $f: $(tr '\n' ' ' < "$cg/$f")"
	done
	cat /proc/swaps | sed 's/^/# swaps: /'
	dmesg | tail -40 | sed 's/^/# dmesg: /'
	return 1
}
used_kb() { # FILE: KiB in use as /proc/swaps shows it, empty if not listed
	awk -v f="$1" '$1 == f { print $4 }' /proc/swaps
}
start_swapped_workload() { # NAME [swapns unshare options]: the criu scripts' workload
	# 48 MB (tests/vm/tools/swapped_workload.c) under a 16M memory limit, in a swap namespace of
	# its own with $dir/NAME.swap, waiting on the fifo $dir/go; it writes its checksum to
	# $dir/NAME.sum, and once let go checks its memory in place and writes the checksum again
	# to $dir/NAME.sum.restored (pages that changed to $dir/NAME.bad). A session leader's child
	# (setsid swapns), so criu dumps it as a shell job (-j). Sets pid and cg.
	wl=$1
	shift
	rm -rf "$dir/go" "$dir/$wl.pid" "$dir/$wl.sum" "$dir/$wl.sum.restored" "$dir/$wl.bad"
	mkfifo "$dir/go"
	setsid swapns unshare --swapfile "$dir/$wl.swap:128M" --memory-max 16M "$@" -- \
		/tools/swapped-workload 48 "$dir/$wl" "$dir/go" </dev/null >"$dir/$wl.out" 2>&1 &
	for i in $(seq 300); do [ -s "$dir/$wl.pid" ] && break; sleep 1; done
	pid=$(cat "$dir/$wl.pid")
	sleep 2
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)
}
