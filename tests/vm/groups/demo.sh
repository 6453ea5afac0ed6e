# vm: memory=512M smp=2 timeout=600 disks=work:384M:ext4 expect=all-pass
# The README demo: two containers swapping each to its own swapfile; then the mm owner at
# work, shown by a demo program and by the swapns tool.
mkdir -p /mnt/work
mount -t ext4 /dev/vda /mnt/work
run_test swap-containers-demo 300 /demo/swap-containers-demo /mnt/work
run_test mm-owner-demo 120 /demo/mm-owner-demo
run_test swapns-status 60 sh -c '
	echo "TAP version 13"
	echo "1..2"
	swapns status -t $$ | sed "s/^/# /"
	if swapns status -t $$ --json | grep -q "\"state\": \"task\""; then
		echo "ok 1 swapns status: this shell owns its mm"
	else
		echo "not ok 1 swapns status: this shell owns its mm"
	fi
	swapns status -t 2 | sed "s/^/# /"
	if swapns status -t 2 --json | grep -q "\"state\": \"no-mm\""; then
		echo "ok 2 swapns status: kthreadd has no mm"
	else
		echo "not ok 2 swapns status: kthreadd has no mm"
	fi
'
