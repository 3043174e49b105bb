# W4 with a full bad-block table: a flagged repair of a sector strictly
# inside a record must split the record, which needs a free slot.  With
# none, the call fails with EIO and no byte of the file changes.  The
# bytes under a listed sector cannot be read, so the records are then
# forgotten the way a reboot forgets them on legacy pmem (the namespace
# is disabled and enabled: its list starts empty) and the file must read
# its old bytes.  A driver that stored the data and only then found it
# could not drop the record passes every check made while the record is
# listed; on real hardware, whose clear is persistent, the new bytes
# would show after the next boot.  Legacy pmem, ext4.  Prints TAP.
. /jobs/fsdax-namespace.sh
. /jobs/check.sh
. /jobs/file-sectors.sh
check_prefix=full_table
bb=/sys/block/pmem0/badblocks
ns=$(basename "$(readlink -f /sys/block/pmem0/device)")

bail_out() { echo "Bail out! $*"; exit 1; }

echo "TAP version 13"
echo "1..2"
echo "# dax-fs: ext4"
[ "$RIG_KIND" = legacy ] || bail_out "legacy pmem only: a reboot forgets its records"
mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -o dax /dev/pmem0 /mnt ||
	bail_out "cannot mount ext4 -o dax"
dd if=/dev/urandom of=/mnt/data bs=4096 count=4 2>/dev/null
dd if=/dev/urandom of=/mnt/fresh bs=4096 count=4 2>/dev/null
dd if=/dev/zero of=/mnt/scratch bs=4096 count=256 2>/dev/null
cp /mnt/data /tmp/old
sync

# The record: sectors 2-4 of the data file (its first block, so one run
# on the disk).  Then single sectors of the scratch file, every other
# one so that none merge, until the table is full (512 records).
first=$(sector_of /mnt/data 2) || bail_out "no disk sector under /mnt/data"
echo "$first 3" > $bb || bail_out "cannot add the record at $first"
filefrag -b512 -v /mnt/scratch | awk '/^ *[0-9]+:/ { gsub(/\.\.|:/, " ")
	for (s = $4; s <= $5; s += 2) print s }' > /tmp/singles
full=
while read -r s; do
	echo "$s 1" 2> /tmp/bb.err > $bb && continue
	grep -q 'No space left' /tmp/bb.err && full=1
	break
done < /tmp/singles
[ -n "$full" ] || bail_out "the bad-block table did not fill: $(cat /tmp/bb.err)"

# The record is kept whole: a flagged read loses sectors 2-4, no more.
record_kept() {
	demo-recover salvage /mnt/data > /tmp/salvage.out
	cat /tmp/salvage.out
	grep -q 'lost bytes 1024-2559 ' /tmp/salvage.out &&
		[ "$(grep -c 'lost bytes' /tmp/salvage.out)" = 1 ]
}

# repair_fails_eio: sector 3, inside the record, from the fresh file.
repair_fails_eio() {
	demo-recover repair /mnt/data 1536 512 /mnt/fresh > /tmp/repair.out
	cat /tmp/repair.out
	grep -q 'RWF_RECOVERY_DATA): Input/output error' /tmp/repair.out &&
		record_kept
}
check repair_fails_eio repair_fails_eio

# bytes_unchanged: the records forgotten, the file reads its old bytes.
forget_records() {
	umount /mnt &&
		ndctl disable-namespace "$ns" >/dev/null &&
		ndctl enable-namespace "$ns" >/dev/null || return 1
	. /jobs/fsdax-namespace.sh	# waits for /dev/pmem0
	[ -z "$(cat $bb)" ] && mount -o dax /dev/pmem0 /mnt
}
bytes_unchanged() { forget_records && cmp /tmp/old /mnt/data; }
check bytes_unchanged bytes_unchanged
umount /mnt
