#!/bin/sh
# Issue 14's two-host migration on a local disk, as two TAP programs for two boots of the guest
# that share a disk (the migrate_two_boots group): the source boot runs a container with 32 MiB
# resident and 256 MiB swapped under memory.max and checkpoints it onto the shared disk; the
# target boot restores it. Its memory verifies page by page, pagemap shows its pages swapped on
# the migrated swapfile, and its memory.current after the restore is at most 1.05 x what it was
# before the dump. Dumping reads no swapped page back; CRIU's image holds the resident part.
# usage: migrate-two-hosts source|target (working directory: the shared disk, 4096-byte blocks)
dir=$PWD role=$1
. /tools/tap-lib.sh
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$2/status; }
pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }
echo "TAP version 13"

if [ "$role" = source ]; then
	echo "1..4"
	rm -rf "$dir/img" "$dir/go" "$dir/h."*
	mkfifo "$dir/go"
	# CRIU gives the tasks back their PIDs: both boots start the same programs in the same
	# order, so the target would have the container's PID taken. Start it above them.
	echo 30000 > /proc/sys/kernel/ns_last_pid
	# 288 MB, the first 32 written last and kept in memory under a 48M limit.
	setsid swapns unshare --swapfile "$dir/h.swap:320M" --memory-max 48M -- \
		/tools/swapped-workload 288 "$dir/h" "$dir/go" 32 </dev/null >"$dir/h.out" 2>&1 &
	for i in $(seq 600); do [ -s "$dir/h.pid" ] && break; sleep 1; done
	pid=$(cat "$dir/h.pid")
	sleep 2
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)
	swapped=$(status_kb VmSwap "$pid") rss=$(status_kb VmRSS "$pid")
	before=$(cat "$cg/memory.current")
	echo "$before" > "$dir/h.memory-before"
	check_that "the container holds 256 MiB in swap and 32 MiB in memory (VmSwap $swapped kB, VmRSS $rss kB, memory.current $before)" \
		'[ "${swapped:-0}" -ge 255000 ] && [ "${rss:-0}" -ge 32768 ]'
	in0=$(pswpin)
	timeout 900 swapns checkpoint -t "$pid" "$dir/img" >"$dir/h.ck.out" 2>"$dir/h.ck.err"
	rc=$?
	in1=$(pswpin)
	sed 's/^/# /' "$dir/h.ck.err" "$dir/h.ck.out"
	check "swapns checkpoint onto the shared disk (rc $rc)" [ "$rc" = 0 ]
	image=$(du -k "$dir"/img/criu/pages-*.img 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
	check_that "the dump read back none of the swapped pages ($((in1 - in0)) swap-ins); CRIU's pages $image kB, the resident part" \
		'[ "$((in1 - in0))" -le 64 ] && [ "$image" -lt 40000 ]'
	wait
	out=$(swapns verify "$dir/img" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	check "the image verifies (rc $rc)" [ "$rc" = 0 ]
	exit 0
fi

echo "1..5"
before=$(cat "$dir/h.memory-before" 2>/dev/null)
timeout 900 swapns restore "$dir/img" --swapfile "$dir/t.swap" >"$dir/t.out" 2>"$dir/t.err"
rc=$?
sed 's/^/# /' "$dir/t.err" "$dir/t.out"
check "swapns restore in the second boot (rc $rc)" [ "$rc" = 0 ]
pid=$(awk '$1 == "restored" { print $3 }' "$dir/t.out")
installed=$(awk '$1 == "restored" { print $6 }' "$dir/t.out")
cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup 2>/dev/null)
type=$(awk -v f="$dir/t.swap" '$2 == f { print $1 }' /proc/$pid/swaps 2>/dev/null)
census=$(pagemap-census "$pid" 2>&1)
echo "# pagemap of $pid: $census; $dir/t.swap is swap type ${type:-?}"
on_type=$(echo "$census" | tr ' ' '\n' | awk -F: -v t="$type" '$1 == t && NF == 2 { print $2 }')
check_that "pagemap shows its ${installed:-?} installed pages swapped on the migrated file (${on_type:-0})" \
	'[ -n "$type" ] && [ "${installed:-0}" -ge 63000 ] && [ "${on_type:-0}" -ge "$installed" ]'
after=$(cat "$cg/memory.current" 2>/dev/null)
check_that "memory.current after the restore (${after:-?}) <= 1.05 x before the dump (${before:-?})" \
	'[ -n "$after" ] && [ -n "$before" ] && [ "$after" -le "$((before * 105 / 100))" ]'
echo go > "$dir/go"
for i in $(seq 300); do [ -s "$dir/h.sum.restored" ] && break; sleep 1; done
check_that "its 288 MB verify page by page" \
	'[ -s "$dir/h.sum" ] && cmp -s "$dir/h.sum" "$dir/h.sum.restored"' || workload_diagnostics h
peak=$(($(cat "$cg/memory.swap.peak" 2>/dev/null || echo 999999999999) / 1024))
check "reading them back took its swap use to $peak kB at most, within 1.25 x its 288 MB" \
	[ "$peak" -le "$((288 * 1024 * 5 / 4))" ]
swapoff "$dir/t.swap" 2>/dev/null
