# The nfit_test rig (modular debug kernel): load tools/testing/nvdimm's
# modules, whose emulated NFIT bus implements error injection, scrub (ARS)
# and Clear Error, make an fsdax namespace on it, run the DAX kselftests
# there, then recover a file the way an administrator meets poison:
# `ndctl inject-error` + scrub -> flagged salvage and repair -> no media
# errors left.  Prints TAP.
. /jobs/dax-mounted.sh
mods=/lib/nfit_test
fs=${RIG_FS:-ext4}
mnt=/mnt
f=$mnt/nfit-victim
tests=0 failed=0
: > /tmp/results

check() {	# check NAME COMMAND...: one TAP result, printed at the end
	name=$1
	shift
	tests=$((tests + 1))
	if "$@" >/tmp/check.out 2>&1; then
		echo "ok $tests $name" >> /tmp/results
	else
		failed=$((failed + 1))
		echo "not ok $tests $name" >> /tmp/results
		sed 's/^/# /' /tmp/check.out >&2
	fi
}

load_modules() {
	for m in nfit_test_iomap libnvdimm nd_btt nd_pmem device_dax dax_pmem \
		 nfit nfit_test; do
		insmod "$mods/$m.ko" || return 1
	done
	ndctl list -B | grep -q '"provider":"nfit_test.0"'
}

# The largest pmem region of nfit_test.0, relabelled, as one fsdax namespace.
make_namespace() {
	region=$(ndctl list -R -b nfit_test.0 -t pmem |
		 awk -F'"' '/"dev"/ { r = $4 } /"size"/ { gsub(/[^0-9]/, "", $3); if ($3 + 0 > best) { best = $3 + 0; pick = r } } END { print pick }')
	[ -n "$region" ] || return 1
	ndctl disable-region -b nfit_test.0 "$region" &&
	ndctl init-labels -f -b nfit_test.0 all &&
	ndctl enable-region -b nfit_test.0 "$region" &&
	ndctl create-namespace -b nfit_test.0 -r "$region" -m fsdax --align=4k -f > /tmp/ns.json || return 1
	ns=$(awk -F'"' '$2 == "dev" { print $4; exit }' /tmp/ns.json)
	dev=/dev/$(awk -F'"' '$2 == "blockdev" { print $4; exit }' /tmp/ns.json)
	[ -b "$dev" ]
}

mkfs_mount() {
	case $fs in
	ext4)	mkfs.ext4 -q -F -b 4096 "$dev" ;;
	# xfsprogs refuses disks under 300 MB unless it runs under fstests
	# (it looks for all three variables).
	xfs)	TEST_DIR=$mnt TEST_DEV=$dev QA_CHECK_FS=1 \
		mkfs.xfs -q -f -m reflink=0 "$dev" ;;
	esac && mount -o dax "$dev" $mnt && dax_mounted "$dev" $mnt
}

# nfit_test's memory is vmalloc()ed: a DAX fault on it raises SIGBUS
# (BUS_ADRERR) poisoned or not, so the mmap tests run on the other rigs.
kselftests() {
	echo "# dax-fs: $fs"
	DAX_TEST_DIR=$mnt /kselftest/dax_poison -T mmap_load_sigbus_mceerr \
		-T recovery_after_sigbus
	DAX_TEST_DIR=$mnt /kselftest/dax_hole_read
}

file_sector() {	# the disk sector of byte $1 of $f
	filefrag -b512 -v $f | awk -v s=$(($1 / 512)) '
		$1 ~ /^[0-9]+:$/ && s >= $2 + 0 && s <= $3 + 0 { print $4 + s - $2 }'
}

inject_and_scrub() {
	# Blocks of the namespace's data area, as the disk's badblocks count.
	ndctl inject-error --block=$bad --count=1 "$ns" &&
	ndctl start-scrub nfit_test.0 && ndctl wait-scrub nfit_test.0 &&
	echo "file sector $bad, badblocks:" &&
	cat /sys/block/${dev#/dev/}/badblocks &&
	grep -qx "$bad 1" /sys/block/${dev#/dev/}/badblocks &&
	ndctl list -N -b nfit_test.0 -n "$ns" --media-errors | grep -q '"badblocks"'
}
unflagged_read_fails() { ! dd if=$f of=/dev/null bs=65536 count=1; }
flagged_salvage() {
	size=$(stat -c %s $f)
	demo-recover salvage $f | grep -qx "  got back $((size - 512)) of $size bytes"
}
flagged_repair() { demo-recover repair $f 9728 512 /tmp/replica; }
file_repaired() {
	cmp $f /tmp/replica && [ -z "$(cat /sys/block/${dev#/dev/}/badblocks)" ] &&
	! ndctl list -N -b nfit_test.0 -n "$ns" --media-errors | grep -q '"badblocks"' &&
	[ "$(filefrag -b512 -v $f | grep '^ *0:')" = "$extent" ]
}

check nfit_test.modules_load load_modules
check nfit_test.fsdax_namespace make_namespace
check nfit_test.mkfs_mount_dax mkfs_mount
if [ $failed = 0 ]; then
	kselftests
	umount $mnt && mkfs_mount
	i=0
	while [ $i -lt 1024 ]; do printf 'line %04d of the nfit_test file ........................... ok\n' $i; i=$((i + 1)); done > $f
	sync && cp $f /tmp/replica
	extent=$(filefrag -b512 -v $f | grep '^ *0:')
	bad=$(file_sector 9728)
	check nfit_test.inject_error_and_scrub inject_and_scrub
	check nfit_test.unflagged_read_eio unflagged_read_fails
	check nfit_test.flagged_salvage_all_but_one_sector flagged_salvage
	check nfit_test.flagged_repair_sector flagged_repair
	check nfit_test.repaired_no_media_errors_same_blocks file_repaired
fi
echo "TAP version 13"
echo "1..$tests"
cat /tmp/results
