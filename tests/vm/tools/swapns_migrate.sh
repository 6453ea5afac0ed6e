#!/bin/sh
# swapns checkpoint / restore (issue 14) on a local disk, as a TAP program: a workload whose
# memory is mostly in its own swapfile is checkpointed with `swapns checkpoint` (Debian's
# unmodified CRIU through its RPC; the swapped pages set aside, their slots copied), verified,
# killed, and restored with `swapns restore` into a new swap namespace from a recreated
# swapfile. Its memory verifies, its pages are swapped pages again, and it uses no more memory
# than before. Then a damaged image is refused and leaves nothing behind.
# Run from the criu group with the working directory on ext4 with 4096-byte blocks, `lo` up,
# devpts mounted.
dir=$PWD
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..11"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$2/status; }
pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }

rm -rf "$dir/img" "$dir/img.dump.log" "$dir/other.swap"
start_swapped_workload s
swapped=$(status_kb VmSwap "$pid")
cg_path=$(sed -n 's/^0:://p' /proc/$pid/cgroup)
before=$(cat "$cg/memory.current")
check "the workload swapped most of its 48 MB to its own file ($swapped kB, memory.current $before)" \
	[ "${swapped:-0}" -gt 30000 ]

in0=$(pswpin)
timeout 600 swapns checkpoint -t "$pid" "$dir/img" >"$dir/ck.out" 2>"$dir/ck.err"
rc=$?
in1=$(pswpin)
sed 's/^/# /' "$dir/ck.err" "$dir/ck.out"
[ "$rc" = 0 ] || sed -n '/Error/p' "$dir/img.dump.log" 2>/dev/null | sed 's/^/# dump: /'
check "swapns checkpoint (rc $rc)" [ "$rc" = 0 ]
image=$(du -k "$dir"/img/criu/pages-*.img 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
check "the checkpoint read none of the swapped pages back: $((in1 - in0)) swap-ins; CRIU's pages $image kB" \
	[ "$((in1 - in0))" -le "$((swapped / 4 / 100))" -a "$image" -lt "$((swapped / 10))" -a "$swapped" -gt 30000 ]
out=$(swapns verify "$dir/img" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "swapns verify accepts the image" [ "$rc" = 0 ]

# The source is gone (its `swapns unshare` with it); the restore recreates the swapfile under
# another name, as on a second host sharing this disk.
wait
sed 's/^/# unshare: /' "$dir/s.out"
grep s.swap /proc/swaps | sed 's/^/# still on: /'
timeout 900 swapns restore "$dir/img" --swapfile "$dir/t.swap" >"$dir/rs.out" 2>"$dir/rs.err"
rc=$?
sed 's/^/# /' "$dir/rs.err" "$dir/rs.out"
[ "$rc" = 0 ] || { ps -o pid,ppid,stat,args | sed 's/^/# ps: /'; grep -E "Error|Warn" /tmp/swapns-restore-*/restore.log | sed 's/^/# restore: /'; }
check "swapns restore (rc $rc)" [ "$rc" = 0 ]
new=$(awk '$1 == "restored" { print $3 }' "$dir/rs.out")
installed=$(awk '$1 == "restored" { print $6 }' "$dir/rs.out")
vmswap=$(status_kb VmSwap "$new")
check_that "its pages are swapped pages again on the migrated file ($installed installed, VmSwap $vmswap kB)" \
	'[ "${installed:-0}" -gt 7000 ] && [ "${vmswap:-0}" -ge "$((installed * 4 * 99 / 100))" ] &&
	 grep -q "$dir/t.swap" /proc/$new/swaps'
after=$(cat "/sys/fs/cgroup$cg_path/memory.current")
# The workload keeps under 1 MB resident, where page tables and CRIU's leftovers are more than
# 5 %: the bound here is 1 MB over (its 46 MB coming back would be 45 MB over). The issue's
# 1.05 x bound is for the two-host test, with 32 MB resident.
check "memory.current after the restore ($after) <= before the dump ($before) + 1 MB" \
	[ "$after" -le "$((before + 1048576))" ]
echo go > "$dir/go"
for i in $(seq 120); do [ -s "$dir/s.sum.restored" ] && break; sleep 1; done
pid=$new cg=/sys/fs/cgroup$cg_path
check_that "the migrated workload's 48 MB are intact, read back under its 16M limit" \
	'[ -s "$dir/s.sum" ] && cmp -s "$dir/s.sum" "$dir/s.sum.restored"' || workload_diagnostics s
# Read back under the limit, the pages go out again into the slots they came from, or into new
# ones while the old are freed: the restored cgroup's swap use stays near its data.
peak=$(($(cat "$cg/memory.swap.peak" 2>/dev/null || echo 999999999999) / 1024))
check "reading them back took its swap use to $peak kB at most, within 1.25 x its 48 MB" \
	[ "$peak" -le "$((48 * 1024 * 5 / 4))" ]

# A damaged image: refused naming the chunk, and a restore from it leaves nothing.
printf 'X' | dd of="$dir/img/swap.data" bs=1 seek=3000000 conv=notrunc 2>/dev/null
out=$(swapns verify "$dir/img" 2>&1)
echo "# $out"
check_that "swapns verify names the damaged chunk" \
	'echo "$out" | grep -q "chunk 2 (bytes 2097152-3145727 of swap.data"'
out=$(swapns restore "$dir/img" --swapfile "$dir/other.swap" 2>&1)
rc=$?
echo "$out" | tail -1 | sed 's/^/# /'
check_that "a restore from it fails and leaves no swapfile, no half-made file" \
	'[ "$rc" = 1 ] && [ ! -e "$dir/other.swap" ] && ! ls -a "$dir" | grep -q "other.swap.restore"'
swapoff "$dir/t.swap" 2>/dev/null
rm -rf "$dir/img" "$dir/go" "$dir/s.swap" "$dir/t.swap"
