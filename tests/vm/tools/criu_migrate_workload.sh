#!/bin/sh
# Debian's unmodified CRIU (3.17.1) with the series' migration interfaces around it, as a TAP
# program (issue 13): a workload whose memory is mostly in its own namespace's swap file is
# checkpointed with its swapped pages set aside (SWAP_NS_IOC_SET_ASIDE before `criu dump`,
# SWAP_NS_IOC_COMMIT after it), so that the dump reads none of them back; the held slots are
# copied to a second file; the workload is restored from CRIU's image into a new swap
# namespace that swaps the copy on with SWAP_FLAG_RESTORE (`criu restore --leave-stopped`),
# the held pages are installed (SWAP_NS_IOC_INSTALL) and the restore ended; the workload goes
# on with its 48 MB intact. /tools/swap-migrate is the test's driver of the ioctls; the tool
# for users is `swapns checkpoint/restore` (issue 14).
# Run from the criu group with the working directory on ext4 (4096-byte blocks: the held
# slots are file pages), `lo` up and devpts mounted.
dir=$PWD
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..7"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$pid/status; }
pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }

# The workload (tap-lib.sh): 48 MB in a shell variable under a 16M limit, in its own swap file.
rm -rf "$dir/img" "$dir/held" "$dir/ctl" "$dir/dst.swap"
mkfifo "$dir/ctl"
start_swapped_workload m
swapped=$(status_kb VmSwap)
check "the workload swapped most of its 48 MB to its own file ($swapped kB)" \
	[ "${swapped:-0}" -gt 30000 ]

# Set aside, and keep the set-aside open (the driver reads commands from the fifo).
swapns mkswap "$dir/dst.swap" --size 128M >/dev/null
/tools/swap-migrate set-aside "$pid" "$dir/held" "$dir/dst.swap" <"$dir/ctl" >"$dir/sa.out" 2>&1 &
sa=$!
exec 3>"$dir/ctl"
for i in $(seq 60); do grep -q '^held' "$dir/sa.out" && break; sleep 1; done
held=$(awk '$1 == "held" { print $2 }' "$dir/sa.out")
echo "# $(cat "$dir/sa.out")"

# The dump: CRIU's parasite runs in the workload's cgroup; lift the limit, as without the
# set-aside (criu_swapped_workload.sh), so that a dump that read pages back would show it.
echo max > "$cg/memory.max"
in0=$(pswpin)
mkdir -p "$dir/img"
timeout 600 criu dump -R -j -t "$pid" -D "$dir/img" -o dump.log
rc=$?
in1=$(pswpin)
grep -E "Error|Warn" "$dir/img/dump.log" | sed 's/^/# dump: /'
image=$(du -k "$dir"/img/pages-*.img | awk '{ s += $1 } END { print s }')
after=$(status_kb VmSwap)
echo "# held $held pages ($((held * 4)) kB); the dump swapped in $((in1 - in0)) pages;" \
	"VmSwap $swapped kB before, $after kB after; the image holds $image kB of pages"
check "criu dump with the swapped pages set aside (rc $rc)" [ "$rc" = 0 ]
check "the dump read none of the held pages back: swap-ins $((in1 - in0)) <= 1% of $held" \
	[ "$((in1 - in0))" -le "$((held / 100))" -a "${held:-0}" -gt 7000 ]
check "the image leaves them out: $image kB of pages for $swapped kB swapped" \
	[ "${image:-999999}" -lt "$((swapped / 10))" ]

# The consistency point, the copy of the held slots, then the source goes.
echo commit >&3
for i in $(seq 120); do grep -q '^committed' "$dir/sa.out" && break; sleep 1; done
exec 3>&-
wait "$sa"
echo "# $(tail -1 "$dir/sa.out")"
kill -9 "$pid"
wait
timeout 60 sh -c 'while grep -q "m.swap" /proc/swaps; do sleep 1; done'

# The restore: CRIU runs in a new swap namespace where the copy is on for the restore. Not
# detached (-d): a stopped shell job whose restorer went away gets SIGHUP (an orphaned
# process group); CRIU stays its parent until it exits.
timeout 900 /tools/swap-migrate restore-ns "$dir/dst.swap" -- \
	criu restore -j -D "$dir/img" --leave-stopped -o restore.log &
restorer=$!
for i in $(seq 300); do
	state=$(awk '{ print $3 }' /proc/$pid/stat 2>/dev/null)
	[ "$state" = T ] && break
	kill -0 "$restorer" 2>/dev/null || break
	sleep 1
done
grep -E "Error|Warn" "$dir/img/restore.log" | sed 's/^/# restore: /'
check "criu restore --leave-stopped in the restoring namespace (state $state)" [ "$state" = T ]
out=$(/tools/swap-migrate install "$pid" "$dir/dst.swap" "$dir/held" 2>&1)
echo "# $out; VmSwap of the restored workload $(status_kb VmSwap) kB"
installed=$(echo "$out" | awk '$1 == "installed" { print $2 }')
check "the held pages installed into the restored workload ($installed of $held)" \
	[ "${installed:-0}" -ge "$((held * 99 / 100))" -a "$(status_kb VmSwap)" -ge "$((installed * 4 * 99 / 100))" ]
kill -CONT "$pid"
echo go > "$dir/go"
for i in $(seq 120); do [ -s "$dir/m.sum.restored" ] && break; sleep 1; done
check_that "the migrated workload's 48 MB are intact" \
	'[ -s "$dir/m.sum" ] && cmp -s "$dir/m.sum" "$dir/m.sum.restored"'
wait "$restorer"
swapoff "$dir/dst.swap" 2>/dev/null
rm -rf "$dir/img" "$dir/go" "$dir/ctl" "$dir/held" "$dir/dst.swap" "$dir/m.swap"
