#!/bin/sh
# Debian's unmodified CRIU (3.17.1) on the patched kernel, as a TAP program: `criu check`
# passes, and a workload in a swap namespace of its own, most of its memory swapped out to
# its own file, is dumped and restored with its data intact. The dump reads every swapped
# page back into memory (CRIU dumps what pagemap reports present or swapped); the script
# reports how much, the baseline for the migration work that keeps those pages in swap.
# Run from the criu group with the working directory on ext4, `lo` up and devpts mounted.
dir=$PWD
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..8"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$pid/status; }

timeout 120 criu check >/tmp/criu-check.out 2>&1
sed 's/^/# criu check: /' /tmp/criu-check.out
check "criu check: the kernel has what CRIU needs" [ "$(tail -1 /tmp/criu-check.out)" = "Looks good." ]

# The workload (tap-lib.sh, swapped_workload.c): 48 MB under a 16M limit, in its own swap file.
rm -rf "$dir/img"
start_swapped_workload w --keep
swapped=$(status_kb VmSwap)
check "the workload swapped most of its 48 MB to its own file ($swapped kB)" \
	[ "${swapped:-0}" -gt 30000 -a "$(used_kb "$dir/w.swap")" -gt 30000 ]

# CRIU's parasite reads the pages inside the workload's cgroup: lift the limit for the dump.
echo max > "$cg/memory.max"
mkdir -p "$dir/img"
timeout 600 criu dump -R -j -t "$pid" -D "$dir/img" -o dump.log
rc=$?
grep -E "Error|Warn" "$dir/img/dump.log" | sed 's/^/# dump: /'
check "criu dump of the workload, left running (rc $rc)" [ "$rc" = 0 ]
echo "# the dump read $((swapped - $(status_kb VmSwap))) of $swapped kB back from swap;" \
	"the image holds $(du -k "$dir"/img/pages-*.img | awk '{ s += $1 } END { print s }') kB of pages"
kill -9 "$pid"
wait

timeout 600 criu restore -j -D "$dir/img" -d -o restore.log
rc=$?
grep -E "Error|Warn" "$dir/img/restore.log" | sed 's/^/# restore: /'
check "criu restore of the workload (rc $rc)" [ "$rc" = 0 ]
echo go > "$dir/go"
for i in $(seq 120); do [ -s "$dir/w.sum.restored" ] && break; sleep 1; done
check_that "the restored workload's 48 MB are intact" \
	'[ -s "$dir/w.sum" ] && cmp -s "$dir/w.sum" "$dir/w.sum.restored"' ||
	workload_diagnostics w
rm -rf "$dir/img" "$dir/go" "$dir/w.swap"

# Pages left out of the image: a workload with every other page never touched is dumped and
# restored with --leave-stopped; the untouched pages must still be none at their addresses
# when it goes on (it reads its own pagemap first), which is where swap entries for pages
# left out of the image could be installed.
rm -rf "$dir/img" "$dir/go" "$dir/s.pid" "$dir/s.out"
mkfifo "$dir/go"
setsid /tools/criu-sparse-workload "$dir/go" "$dir/s.pid" </dev/null >"$dir/s.out" 2>&1 &
for i in $(seq 60); do [ -s "$dir/s.pid" ] && break; sleep 1; done
pid=$(cat "$dir/s.pid")
mkdir -p "$dir/img"
timeout 300 criu dump -t "$pid" -D "$dir/img" -o dump.log
rc=$?
grep -E "Error|Warn" "$dir/img/dump.log" | sed 's/^/# dump: /'
timeout 300 criu restore --leave-stopped -D "$dir/img" -d -o restore.log
rc2=$?
grep -E "Error|Warn" "$dir/img/restore.log" | sed 's/^/# restore: /'
state=$(awk '{ print $3 }' /proc/$pid/stat 2>/dev/null)
check "a sparse workload dumped and restored --leave-stopped (rc $rc, $rc2; state $state)" \
	[ "$rc" = 0 -a "$rc2" = 0 -a "$state" = T ]
echo "# the image holds $(du -k "$dir"/img/pages-*.img | awk '{ s += $1 } END { print s }') kB of pages"
kill -CONT "$pid"
echo go > "$dir/go"
for i in $(seq 60); do [ -s "$dir/s.out" ] && break; sleep 1; done
sed 's/^/# /' "$dir/s.out"
check "its written pages came back" grep -q "written pages present 256 of 256, intact 256;" "$dir/s.out"
check "its never-touched pages, left out of the image, are still none PTEs" \
	grep -q "unwritten pages none 256 of 256" "$dir/s.out"
rm -rf "$dir/img" "$dir/go"
