# Shell helpers for the guest's TAP test scripts (tests/vm/tools/*.sh), sourced from
# /tools/tap-lib.sh in the initramfs.
n=0
check() { # DESCRIPTION, then the command that must succeed
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then echo "ok $n $desc"; else echo "not ok $n $desc"; fi
}
used_kb() { # FILE: KiB in use as /proc/swaps shows it, empty if not listed
	awk -v f="$1" '$1 == f { print $4 }' /proc/swaps
}
