# Shell helpers for the guest's TAP test scripts (tests/vm/tools/*.sh), sourced from
# /tools/tap-lib.sh in the initramfs.
n=0
check() { # DESCRIPTION, then the command that must succeed
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n $desc"; else echo "not ok $n $desc"; fi
}
check_that() { # DESCRIPTION, then a shell condition in quotes, evaluated here
	# For conditions with && || or a pipe: written after `check DESC`, those would apply to
	# check's own status and output, not decide the verdict.
	desc=$1
	shift
	n=$((n + 1))
	if eval "$*"; then echo "ok $n $desc"; else echo "not ok $n $desc"; fi
}
used_kb() { # FILE: KiB in use as /proc/swaps shows it, empty if not listed
	awk -v f="$1" '$1 == f { print $4 }' /proc/swaps
}
start_swapped_workload() { # NAME [swapns unshare options]: the criu scripts' workload
	# 48 MB in a shell variable, under a 16M memory limit, in a swap namespace of its own with
	# $dir/NAME.swap, waiting on the fifo $dir/go; it writes its checksum to $dir/NAME.sum, and
	# again to $dir/NAME.sum.restored once let go. A session leader's child (setsid swapns), so
	# criu dumps it as a shell job (-j). Sets pid and cg.
	wl=$1
	shift
	rm -rf "$dir/go" "$dir/$wl.pid" "$dir/$wl.sum" "$dir/$wl.sum.restored"
	mkfifo "$dir/go"
	export dir wl
	setsid swapns unshare --swapfile "$dir/$wl.swap:128M" --memory-max 16M "$@" -- sh -c '
		v=$(head -c 36000000 /dev/urandom | base64 | tr -d "\n")
		echo -n "$v" | md5sum > $dir/$wl.sum
		echo $$ > $dir/$wl.pid
		read l < $dir/go
		echo -n "$v" | md5sum > $dir/$wl.sum.restored' </dev/null >"$dir/$wl.out" 2>&1 &
	for i in $(seq 300); do [ -s "$dir/$wl.pid" ] && break; sleep 1; done
	pid=$(cat "$dir/$wl.pid")
	sleep 2
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)
}
