#!/bin/sh
# swapns checkpoint / restore when things go wrong (issue 14), as a TAP program:
#  - CRIU fails in the middle of the dump (an action script it runs after writing its images
#    fails): the checkpoint is rolled back; the container runs on, not frozen, its swapped
#    pages still swapped, no image or partial image left, CRIU's log kept;
#  - swapns killed while CRIU runs (a stand-in that never answers) takes CRIU with it, and
#    killed after the dump (stopped there by SWAPNS_TEST_STOP_AT): the kernel releases the
#    pages, and `swapns checkpoint --recover` thaws the container and removes the partial image;
#  - a restore onto a disk without room for the swapfile fails leaving nothing: no file, no
#    device, no cgroup, no task;
#  - the container checkpointed after the failed attempt restores with its memory intact.
# Run from the criu group in an ext4 directory with 4096-byte blocks; $1 is a directory on a
# filesystem too small for the swapfile.
dir=$PWD
tiny=$1
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..13"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$2/status; }

rm -rf "$dir/img" "$dir/img.dump.log" "$dir"/.img.partial-*
start_swapped_workload f
swapped=$(status_kb VmSwap "$pid")
cg_path=$(sed -n 's/^0:://p' /proc/$pid/cgroup)
printf '#!/bin/sh\n[ "$CRTOOLS_SCRIPT_ACTION" = post-dump ] && exit 1\nexit 0\n' >"$dir/fail-post-dump"
chmod +x "$dir/fail-post-dump"
out=$(timeout 600 swapns checkpoint -q -t "$pid" "$dir/img" --criu-opt "action-script $dir/fail-post-dump" 2>&1)
rc=$?
echo "# $out"
check_that "a dump CRIU fails after writing its images fails the checkpoint, naming CRIU's log (rc $rc)" \
	'[ "$rc" = 1 ] && echo "$out" | grep -q "criu dump failed.*CRIU.s log: $dir/img.dump.log" &&
	 [ -s "$dir/img.dump.log" ]'
check_that "no image and no partial image are left" '[ ! -e "$dir/img" ] && ! ls -a "$dir" | grep -q "^.img.partial-"'
check_that "the container runs on, thawed" '[ -d "/proc/$pid" ] && grep -q "frozen 0" "$cg/cgroup.events"'
after=$(status_kb VmSwap "$pid")
check "its swapped pages are still swapped ($after kB of $swapped kB)" [ "${after:-0}" -ge "$((swapped * 95 / 100))" ]

# Killed while CRIU runs: the stand-in must die with swapns (PR_SET_PDEATHSIG).
printf '#!/bin/sh\nexec sleep 600\n' >"$dir/slow-criu"
chmod +x "$dir/slow-criu"
swapns checkpoint -q -t "$pid" "$dir/img" --criu "$dir/slow-criu" >/dev/null 2>&1 &
ck=$!
for i in $(seq 120); do ps -o args | grep -q "^[s]leep 600" && break; sleep 1; done
kill -9 "$ck"
wait "$ck" 2>/dev/null
sleep 2
check_that "swapns killed while CRIU runs takes CRIU with it" '! ps -o args | grep -q "^[s]leep 600"'
check "the container stays frozen until --recover" grep -q "frozen 1" "$cg/cgroup.events"
out=$(swapns checkpoint --recover -t "$pid" "$dir/img" 2>&1)
echo "# $out"
check_that "--recover thaws it and removes the partial image" \
	'grep -q "frozen 0" "$cg/cgroup.events" && echo "$out" | grep -q "^thawed the container; removed $dir/.img.partial-" &&
	 ! ls -a "$dir" | grep -q "^.img.partial-"'

# Killed after the dump and the commit, as the slots are being copied.
SWAPNS_TEST_STOP_AT=copying swapns checkpoint -q -t "$pid" "$dir/img" >/dev/null 2>&1 &
ck=$!
for i in $(seq 300); do grep -q "^State:.*T" "/proc/$ck/status" 2>/dev/null && break; sleep 1; done
kill -9 "$ck"
wait "$ck" 2>/dev/null
out=$(swapns checkpoint --recover -t "$pid" "$dir/img" 2>&1)
echo "# $out"
after=$(status_kb VmSwap "$pid")
check_that "killed while copying, --recover leaves it running with its pages swapped ($after kB)" \
	'echo "$out" | grep -q "^thawed the container; removed" && grep -q "frozen 0" "$cg/cgroup.events" &&
	 [ "${after:-0}" -ge "$((swapped * 95 / 100))" ]'
check_that "no CRIU is left running" '! ps -o args | grep -q "^[c]riu"'

timeout 600 swapns checkpoint -q -t "$pid" "$dir/img" >/dev/null 2>"$dir/ck.err"
rc=$?
sed 's/^/# /' "$dir/ck.err"
check "the same container checkpoints afterwards (rc $rc)" [ "$rc" = 0 ]
wait

out=$(timeout 600 swapns restore -q "$dir/img" --swapfile "$tiny/t.swap" --cgroup /swapns-faults 2>&1)
rc=$?
echo "# $out"
check_that "a restore onto a full disk fails, saying so (rc $rc)" '[ "$rc" = 1 ] && echo "$out" | grep -q "No space left"'
check_that "and leaves nothing: no file, no device, no cgroup" \
	'[ -z "$(ls -A "$tiny" | grep -v lost+found)" ] && ! grep -q t.swap /proc/swaps && [ ! -d /sys/fs/cgroup/swapns-faults ]'

timeout 900 swapns restore -q "$dir/img" --swapfile "$dir/t.swap" >"$dir/rs.out" 2>&1
sed 's/^/# /' "$dir/rs.out"
echo go > "$dir/go"
for i in $(seq 120); do [ -s "$dir/f.sum.restored" ] && break; sleep 1; done
check_that "restored, the container's 48 MB are intact, read back under its 16M limit" \
	'[ -s "$dir/f.sum" ] && cmp -s "$dir/f.sum" "$dir/f.sum.restored"' ||
	{ pid=$(awk '$1 == "restored" { print $3 }' "$dir/rs.out"); cg=/sys/fs/cgroup$cg_path; workload_diagnostics f; }
swapoff "$dir/t.swap" 2>/dev/null
rm -rf "$dir/img" "$dir/img.dump.log" "$dir/go" "$dir/f.swap" "$dir/t.swap" "$dir/fail-post-dump" "$dir/slow-criu"
