#!/usr/bin/env bash
# The bash completion offers each subcommand and its options: checked against `swapns --help`
# and each subcommand's --help, so that a new command or option cannot be left out.
set -u
swapns=$1 completion=$2
source "$completion"
complete_line() { # WORDS...: what completing the last word offers, one per line
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_swapns
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
fail=0
commands=$("$swapns" --help | awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' | sort)
offered=$(complete_line swapns "" | grep -v '^-')
if [ "$commands" != "$offered" ]; then
	echo "commands: help lists [$commands], completion offers [$offered]"
	fail=1
fi
for c in $commands; do
	opts=$("$swapns" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	got=$(complete_line swapns "$c" "--")
	for o in $opts; do
		if ! grep -qx -- "$o" <<<"$got"; then
			echo "swapns $c: --help has $o, completion does not offer it"
			fail=1
		fi
	done
done
# After -o/--output: the columns that --help lists, each once, in upper case, after a comma too.
for c in list status; do
	columns=$("$swapns" "$c" --help | awk '/^Columns of/ { on = 1; next } on && /^ [A-Z]/ { print $1 }' | sort -u)
	for o in -o --output; do
		got=$(complete_line swapns "$c" "$o" "" | sed 's/,$//')
		if [ "$columns" != "$got" ]; then
			echo "swapns $c $o: --help lists [$columns], completion offers [$got]"
			fail=1
		fi
	done
	[ "$(complete_line swapns "$c" -o size,sta)" = "size,STATE," ] || { echo "swapns $c -o size,sta: no STATE"; fail=1; }
	complete_line swapns "$c" -o NAME,SIZE, | grep -qx "NAME,SIZE,USED," || { echo "swapns $c: no USED after NAME,SIZE,"; fail=1; }
	! complete_line swapns "$c" -o NAME,SIZE, | grep -q "SIZE,SIZE" || { echo "swapns $c: SIZE offered twice"; fail=1; }
done
[ "$(complete_line swapns unshare -- ech | head -1)" = echo ] || { echo "no command completion after --"; fail=1; }
exit $fail
