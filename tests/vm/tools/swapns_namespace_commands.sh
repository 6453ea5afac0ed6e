#!/bin/sh
# swapns unshare, enter, swapon -t and swapoff -t on the patched kernel, as a TAP program.
# Run from the swap_ns group with the working directory on ext4 (swapfiles live there) and no
# swap device on.
dir=$PWD
. /tools/tap-lib.sh

echo "TAP version 13"
echo "1..22"
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
swapns mkswap "$dir/host.swap" --size 32M >/dev/null && swapon "$dir/host.swap"

# 1-4: a workload over its memory limit swaps to its own file only; the file goes afterwards.
# Its notes go to ext4, not /tmp: tmpfs pages swap to the namespace of whoever mounted the
# tmpfs (the host, here), and the memory limit reclaims them too.
export dir
swapns unshare --swapfile "$dir/u.swap:64M" --memory-max 12M -- sh -c '
	v=$(head -c 20000000 /dev/zero | tr "\0" a)
	cat /proc/swaps > $dir/inside.swaps
	readlink /proc/self/ns/swap > $dir/inside.ns
	ls -d /sys/fs/cgroup/swapns-* > $dir/inside.cgroup
	echo ${#v} > $dir/inside.len' 2>/tmp/unshare.err
rc=$?
sed 's/^/# inside: /' $dir/inside.swaps
sed 's/^/# stderr: /' /tmp/unshare.err
check "unshare: the command ran and succeeded (rc $rc)" [ "$rc" = 0 -a "$(cat $dir/inside.len)" = 20000000 ]
inside_used=$(awk -v f="$dir/u.swap" '$1 == f { print $4 }' $dir/inside.swaps)
check "unshare: the workload swapped to its own file ($inside_used KiB), which is all it sees" \
	[ "${inside_used:-0}" -gt 4096 -a "$(grep -c "$dir/host.swap" $dir/inside.swaps)" = 0 ]
check "unshare: the host's device stayed untouched ($(used_kb "$dir/host.swap") KiB)" \
	[ "$(used_kb "$dir/host.swap")" = 0 ]
check "unshare: a new namespace; afterwards its file is off and gone, and its cgroup too" \
	[ "$(cat $dir/inside.ns)" != "$(readlink /proc/self/ns/swap)" -a -s $dir/inside.cgroup \
	  -a ! -e "$dir/u.swap" -a -z "$(used_kb "$dir/u.swap")" -a ! -e "$(cat $dir/inside.cgroup)" ]

# 5: the command's exit status is passed on.
swapns unshare -- sh -c 'exit 5'
check "unshare: exit status 5 passed on" [ $? = 5 ]

# 6-10: a running namespace, entered and given a device from outside.
swapns unshare --swapfile "$dir/e.swap:16M" --keep -- sh -c 'echo $$ > /tmp/e.pid; exec sleep 60' &
supervisor=$!
for i in $(seq 50); do [ -s /tmp/e.pid ] && break; sleep 0.1; done
pid=$(cat /tmp/e.pid)
inside=$(swapns enter -t "$pid" -- sh -c 'readlink /proc/self/ns/swap; cat /proc/swaps')
echo "$inside" | sed 's/^/# enter: /'
check "enter: in the namespace of $pid, seeing its device only" \
	[ "$(echo "$inside" | head -1)" = "$(readlink /proc/$pid/ns/swap)" \
	  -a "$(echo "$inside" | grep -c "$dir/e.swap")" = 1 -a "$(echo "$inside" | grep -c host.swap)" = 0 ]
swapns mkswap "$dir/t.swap" --size 16M >/dev/null
swapns swapon -t "$pid" --priority 7 "$dir/t.swap"
check "swapon -t: the device belongs to the namespace of $pid, priority 7" \
	grep -Eq "^[0-9]+	$dir/t.swap	file	[0-9]+	[0-9]+	7	[0-9]+	own	[0-9]+:[0-9]+	[0-9]+$" /proc/$pid/swaps
swapns swapoff -t "$pid" "$dir/t.swap"
check "swapoff -t: the device is gone from the namespace of $pid" \
	[ "$(grep -c "$dir/t.swap" /proc/$pid/swaps)" = 0 -a -z "$(used_kb "$dir/t.swap")" ]
# list --json shows the namespace under its inode, with its parent (ours), its member and its
# device. nlohmann-json orders keys alphabetically; flattened, an entry reads
# {"devices":[...],"inode":N,"members":[...],"parent":N,...}.
ino=$(readlink /proc/$pid/ns/swap | tr -dc 0-9)
own=$(readlink /proc/self/ns/swap | tr -dc 0-9)
swapns list --json > /tmp/list.json
swapns list | sed 's/^/# list: /'
tr -d ' \n' < /tmp/list.json > /tmp/list.flat
list_shows_it() {
	grep -Eq "\"devices\":\[[^]]*\"path\":\"$dir/e.swap\"[^]]*\],\"inode\":$ino,\"members\":\[([0-9]+,)*$pid(,[0-9]+)*\],\"parent\":$own," /tmp/list.flat
}
check "list --json: namespace $ino, parent $own, member $pid, device e.swap" list_shows_it
kill -TERM "$supervisor"
wait "$supervisor"
rc=$?
check "unshare: SIGTERM passed on (rc $rc); with --keep the file stays, swapped off" \
	[ "$rc" = 143 -a -e "$dir/e.swap" -a -z "$(used_kb "$dir/e.swap")" ]

# 11-12: bad input is refused with a clear message.
swapns unshare --swapfile "$dir/missing.swap" -- true 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
check "unshare: a missing swapfile without a size is refused (rc $rc)" \
	[ "$rc" = 1 -a "$(grep -c "give a size" /tmp/err)" = 1 ]
swapns swapon -t 999999 "$dir/t.swap" 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
check "swapon -t: no such process (rc $rc)" [ "$rc" = 1 -a "$(grep -c "no such process" /tmp/err)" = 1 ]

# 13-14: gc collects what a crash left: the device of a namespace whose supervisor was
# killed (its file made by unshare), and a half-made file of a dead mkswap.
swapns unshare --swapfile "$dir/g.swap:16M" -- sh -c 'kill -KILL $PPID; sleep 0.5'
# The namespace dies when the orphaned command ends.
for i in $(seq 100); do
	[ "$(awk -v f="$dir/g.swap" '$2 == f { print $8 }' /proc/self/swaps)" = draining ] && break
	sleep 0.1
done
state=$(awk -v f="$dir/g.swap" '$2 == f { print $8 }' /proc/self/swaps)
touch "$dir/.h.swap.swapns-99999999" "$dir/.live.swap.swapns-$$"
swapns gc "$dir" | sed 's/^/# gc: /'
check "gc: the crashed run's device (state '$state') is off and its file gone" \
	[ "$state" = draining -a -z "$(used_kb "$dir/g.swap")" -a ! -e "$dir/g.swap" ]
check "gc: a dead maker's half-made file is gone, a live maker's stays" \
	[ ! -e "$dir/.h.swap.swapns-99999999" -a -e "$dir/.live.swap.swapns-$$" ]
rm -f "$dir/.live.swap.swapns-$$"

# 15: a crashed run made with --keep: gc swaps its device off, but the file stays (swapns(1)).
swapns unshare --keep --swapfile "$dir/k.swap:16M" -- sh -c 'kill -KILL $PPID; sleep 0.5'
for i in $(seq 100); do
	[ "$(awk -v f="$dir/k.swap" '$2 == f { print $8 }' /proc/self/swaps)" = draining ] && break
	sleep 0.1
done
state=$(awk -v f="$dir/k.swap" '$2 == f { print $8 }' /proc/self/swaps)
swapns gc | sed 's/^/# gc: /'
check "gc: a crashed --keep run's device (state '$state') is off and its file kept" \
	[ "$state" = draining -a -z "$(used_kb "$dir/k.swap")" -a -e "$dir/k.swap" ]
rm -f "$dir/k.swap"

# 16-17: swapns alone in a cgroup other than the root, and a relative swapfile path: it moves
# itself to a leaf so that its cgroup can hand the memory controller down, and puts all back.
mkdir -p /sys/fs/cgroup/outer
cat > "$dir/rel-workload.sh" <<'WORKLOAD'
v=$(head -c 8000000 /dev/zero | tr "\0" c)
grep -c "/rel.swap " /proc/swaps > rel.seen
WORKLOAD
(cd "$dir" && sh -c 'echo 0 > /sys/fs/cgroup/outer/cgroup.procs &&
	exec swapns unshare --swapfile ./rel.swap:32M --memory-max 12M -- sh ./rel-workload.sh')
rc=$?
check "unshare from a non-root cgroup with ./rel.swap (rc $rc): used, then off and gone" \
	[ "$rc" = 0 -a "$(cat "$dir/rel.seen")" = 1 -a ! -e "$dir/rel.swap" -a -z "$(used_kb "$dir/rel.swap")" ]
check "the cgroup is as before: no children, no controllers handed down" \
	[ -z "$(cat /sys/fs/cgroup/outer/cgroup.subtree_control)" -a "$(ls -d /sys/fs/cgroup/outer/*/ 2>/dev/null | wc -l)" = 0 ]
rmdir /sys/fs/cgroup/outer
rm -f "$dir/rel-workload.sh" "$dir/rel.seen"

# 18-20: a dead namespace left a device whose name is another file here: a container that, in
# a mount namespace of its own, swapped on its file mounted over $dir/m.swap, while the host's
# own $dir/m.swap is on. gc and the kernel see the same name; gc must not swap off the host's.
mkdir -p "$dir/inner"
swapns mkswap "$dir/inner/m.swap" --size 16M >/dev/null
swapns mkswap "$dir/m.swap" --size 16M >/dev/null && swapon "$dir/m.swap"
# A process keeps that mount namespace, and so the device's name, alive.
unshare --mount --propagation private sh -c "
	mount --bind '$dir/inner/m.swap' '$dir/m.swap' &&
	{ sleep 600 & echo \$! > /tmp/mntns.pid; } &&
	swapns unshare --swapfile '$dir/m.swap' -- sh -c 'kill -KILL \$PPID; sleep 0.5'"
for i in $(seq 100); do
	[ "$(awk -v f="$dir/m.swap" '$2 == f && $8 == "draining"' /proc/self/swaps)" ] && break
	sleep 0.1
done
sed 's/^/# swaps: /' /proc/self/swaps
swapns gc >/tmp/gc.out 2>&1
rc=$?
sed 's/^/# gc: /' /tmp/gc.out
check "gc refuses a draining device whose name is another file here (rc $rc)" \
	[ "$rc" = 1 -a "$(grep -c "not the swap device of that name" /tmp/gc.out)" = 1 ]
check "the host's own device of that name stays on, the container's stays draining" \
	[ "$(awk -v f="$dir/m.swap" '$2 == f && $8 == "own"' /proc/self/swaps)" -a \
	  "$(awk -v f="$dir/m.swap" '$2 == f && $8 == "draining"' /proc/self/swaps)" ]
# 20: why: swapoff(2) by that name, which is what gc did before, turns off the host's device.
swapoff "$dir/m.swap"
check "swapoff by the name turns off the host's device and leaves the container's" \
	[ -z "$(awk -v f="$dir/m.swap" '$2 == f && $8 == "own"' /proc/self/swaps)" -a \
	  "$(awk -v f="$dir/m.swap" '$2 == f && $8 == "draining"' /proc/self/swaps)" ]
# By a path that reaches the container's file here, it goes.
swapoff "$dir/inner/m.swap"
kill "$(cat /tmp/mntns.pid)"
rm -rf "$dir/inner" "$dir/m.swap" /tmp/mntns.pid

# 21: mkswap --force refuses to replace the file of an active device of another namespace,
# which /proc/swaps here does not list (it used to replace it).
swapns unshare --swapfile "$dir/busy.swap:16M" -- sh -c 'echo $$ > /tmp/busy.pid; exec sleep 60' &
supervisor=$!
for i in $(seq 50); do [ -s /tmp/busy.pid ] && break; sleep 0.1; done
ino_before=$(stat -c %i "$dir/busy.swap")
swapns mkswap "$dir/busy.swap" --size 16M --force >/tmp/mk.out 2>&1
rc=$?
sed 's/^/# mkswap: /' /tmp/mk.out
check "mkswap --force refuses another namespace's active device (rc $rc); the file stays" \
	[ "$rc" != 0 -a "$(grep -c "is an active swap device" /tmp/mk.out)" = 1 \
	  -a "$(stat -c %i "$dir/busy.swap")" = "$ino_before" ]
kill -TERM "$supervisor"
wait "$supervisor"

# 22: gc removes the cgroup of an unshare run killed with SIGKILL, which skips its clean-up,
# once its command is gone too.
swapns unshare --memory-max 64M -- sh -c 'echo $$ > /tmp/k.pid; exec sleep 60' &
supervisor=$!
for i in $(seq 50); do [ -s /tmp/k.pid ] && break; sleep 0.1; done
kill -KILL "$supervisor"
wait "$supervisor" 2>/dev/null
kill -KILL "$(cat /tmp/k.pid)"
cg=/sys/fs/cgroup/swapns-$supervisor
for i in $(seq 50); do grep -q "populated 0" "$cg/cgroup.events" 2>/dev/null && break; sleep 0.1; done
left=$([ -d "$cg" ] && echo yes)
swapns gc >/tmp/gc.out 2>&1
rc=$?
sed 's/^/# gc: /' /tmp/gc.out
check "gc removes the cgroup a killed unshare left (left: '$left', rc $rc)" \
	[ "$left" = yes -a "$rc" = 0 -a ! -d "$cg" -a "$(grep -c "swapns-$supervisor" /tmp/gc.out)" = 1 ]

swapoff "$dir/host.swap"
rm -f "$dir/host.swap" "$dir/e.swap" "$dir/t.swap" /tmp/e.pid /tmp/busy.pid /tmp/k.pid "$dir"/inside.*
