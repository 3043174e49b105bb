# The real arrival path of poison: a machine check, injected through the
# QEMU monitor at the guest physical address of a file's page, runs
# memory_failure(), which takes the page out of the kernel direct map
# (set_mce_nospec); on the NFIT rig the NFIT handler also adds the bad
# sector to the pmem driver's list.  Then: where the kernel says the
# poison is (FS_IOC_GETPOISON, through pmem-recover scan), salvage and
# repair with RWF_RECOVERY_DATA.  Prints TAP.
. /jobs/fsdax-namespace.sh
fs=${RIG_FS:-ext4}
f=/mnt/mce-victim
check_prefix=mce
. /jobs/check.sh
. /jobs/file-sectors.sh

echo "TAP version 13"
echo "1..13"
echo "# dax-fs: $fs"
case $fs in
ext4)	mkfs.ext4 -q -F -b 4096 /dev/pmem0 ;;
# rmapbt: xfs finds the files of a failed page itself (its holder path)
xfs)	mkfs.xfs -q -f -m reflink=0,rmapbt=1 /dev/pmem0 ;;
esac
mount -o dax /dev/pmem0 /mnt
i=0
while [ $i -lt 1024 ]; do printf 'line %04d of the machine check file ...................... ok\n' $i; i=$((i + 1)); done > $f
# A page no file holds, for the second machine check.
head -c 65536 /dev/zero > /mnt/mce-freed
sync
cp $f /tmp/replica
# A machine check leaves the bytes as they were: junk goes under the line
# it will hit first (file bytes 9728-10239), before the page is mapped,
# through the file (not the disk, whose page cache is ext4's
# metadata cache), so that a salvage returning it or a repair copying
# nothing shows by value.  /tmp/on-media is what the file holds.
head -c 512 /dev/zero | tr '\0' '\245' > /tmp/junk
dd if=/tmp/junk of=$f bs=512 seek=19 conv=notrunc 2>/dev/null
cp /tmp/replica /tmp/on-media
dd if=/tmp/junk of=/tmp/on-media bs=512 seek=19 conv=notrunc 2>/dev/null
cmp -s $f /tmp/on-media || echo "# the junk did not reach the file"
# memory_failure() acts on a DAX page through its file mapping, which the
# page holds only while it is mapped (on 7.3 the last unmap clears it: a
# machine check between two mappings fails, "recovery action for dax
# page: Failed").  A process keeps the file mapped over each injection.
hold_mapping() {
	rm -f /tmp/hold /tmp/hold.ready
	mkfifo /tmp/hold
	xfs_io -r $f < /tmp/hold > /dev/null 2>&1 &
	holder=$!
	exec 3> /tmp/hold
	# xfs_io runs its commands in order (its output is buffered): once it
	# made hold.ready, the file is mapped and was read through the mapping.
	printf 'mmap -r 0 65536\nmread 0 65536\nopen -f /tmp/hold.ready\n' >&3
	waited=0
	until [ -e /tmp/hold.ready ] || [ $waited -ge 300 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
}
# What the holder has of the file in memory (kB), to tell "not mapped"
# from any other failure of memory_failure().
held_kb() {
	awk -v f=$f '$NF == f { m = 1; next } m && /^Rss:/ { print $2; exit }' \
		/proc/$holder/smaps 2>/dev/null
}
release_mapping() { echo quit >&3; exec 3>&-; wait $holder || true; }

# The disk's data area starts at its device's "resource": a raw
# namespace on the legacy rig, the pfn device of an fsdax namespace on NFIT.
start=$(cat "$(readlink -f /sys/block/pmem0/device)/resource")
# file bytes 9728-10239, in page 2
sector=$(sector_of $f 19) || { echo "Bail out! no disk sector under $f"; exit 1; }
freed=$(sector_of /mnt/mce-freed 0) || { echo "Bail out! no disk sector under /mnt/mce-freed"; exit 1; }
rm /mnt/mce-freed
sync
echo "# $(filefrag $f)"
gpa=$(printf '%#x' $((start + sector * 512)))
# SRAO (uncorrected, action optional) on bank 9, broadcast to every CPU
# (-b): an Intel machine check that reaches only one of them panics.
recovered() { dmesg | grep -q 'recovery action for dax page: Recovered'; }
failures() { dmesg | grep -c 'recovery action for dax page: Failed'; }
# Should memory_failure() still fail, inject again, up to three times,
# and say so.
attempt=0
while ! recovered && [ $attempt -lt 3 ]; do
	hold_mapping
	held="mapped after $((waited / 10)).$((waited % 10)) s, $(held_kb) kB resident"
	failed=$(failures)
	echo "# rig-monitor: mce -b 0 9 0xbd000000000000c0 0x5 $gpa 0x86"
	i=0
	while ! recovered && [ "$(failures)" -eq "$failed" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	verdict=Recovered
	recovered || verdict=Failed
	[ $i -lt 300 ] || verdict="no verdict"
	echo "attempt $attempt: $held; $verdict after $((i / 10)).$((i % 10)) s" >> /tmp/mce-attempts
	release_mapping
	attempt=$((attempt + 1))
done
sed 's/^/# /' /tmp/mce-attempts
# On failure, say what the injections met (the kernel's own words).
recovered_or_say() {
	recovered && return
	cat /tmp/mce-attempts
	dmesg | grep -E 'mce|Memory failure|memory_failure' | tail -n 20
	false
}

unflagged_read_fails() { ! dd if=$f of=/dev/null bs=4096 skip=2 count=1; }
if [ "$RIG_KIND" = nfit ]; then
	# The NFIT handler records the line's sector; QEMU cannot clear it.
	lost=512
	bad_sector_listed() { grep -qx "$sector 1" /sys/block/pmem0/badblocks; }
	queried_ranges='[{"offset":9728,"length":512}]'	# the recorded line
	repair() {	# W4: EIO, and the sector stays listed
		demo-recover repair $f 8192 4096 /tmp/replica | grep -q 'Input/output error' &&
		bad_sector_listed
	}
	first_pages() { dd if="$1" bs=4096 count=2 2>/dev/null; }
	file_after_repair() { [ "$(first_pages $f | md5sum)" = "$(first_pages /tmp/replica | md5sum)" ]; }
else
	# Legacy pmem has no NFIT handler: no bad sector, but a page out of
	# the direct map, which only the recovery operations can reach.
	lost=0
	bad_sector_listed() { [ -z "$(cat /sys/block/pmem0/badblocks)" ]; }
	# only the page memory_failure() took out says where: page-wise
	queried_ranges='[{"offset":8192,"length":4096,"pagewise":true}]'
	repair() { demo-recover repair $f 8192 4096 /tmp/replica; }
	file_after_repair() { dd if=$f of=/dev/null bs=65536 count=1 && cmp $f /tmp/replica; }
fi
# A flagged repair of 512 bytes in the page, away from its lost line,
# leaves the rest of the page unknown where no bad sector is on record:
# the page stays out of the direct map and unflagged reads of it still
# fail (on NFIT the recorded line keeps it out anyway).
partial_repair_keeps_page_out() {
	demo-recover repair $f 9216 512 /tmp/replica && unflagged_read_fails
}
# The query reads nothing: it knows what the platform recorded, or only
# the page.
query_says_where() {
	pmem-recover scan --json $f > /tmp/query.json
	cat /tmp/query.json
	grep -q '"method":"FS_IOC_GETPOISON"' /tmp/query.json &&
	grep -qF "\"ranges\":$queried_ranges}" /tmp/query.json
}
# A write to the disk of part of the page cannot reach it (it is out of
# the direct map) and the rest of the page is not known good: EIO, the
# bytes unchanged, and no oops (base stores through the direct map).
raw_write_into_lost_page_fails() {
	head -c 512 /dev/zero | tr '\0' Z > /tmp/zs
	xfs_io -d -c "pwrite -q -i /tmp/zs $(((sector - 1) * 512)) 512" /dev/pmem0 2>&1 |
		tee /dev/stderr | grep -q 'Input/output error' && salvage
}
# A plain write of part of the lost page reaches it through the DAX path:
# EIO, as for recorded poison (plain writes repair whole pages only), and
# the bytes unchanged (base faults on the kernel side of the copy and
# says EFAULT, as if the user buffer were bad).
plain_write_into_lost_page_fails() {
	head -c 512 /dev/zero | tr '\0' P > /tmp/ps
	xfs_io -c "pwrite -q -i /tmp/ps 8704 512" $f 2>&1 |
		tee /dev/stderr | grep -q 'Input/output error' && salvage
}
# A hole punched into part of the lost page zeroes that part through the
# DAX zeroing path (dax_zero_range, dax_memzero), and the rest of the page
# is not known good: EIO, nothing freed or zeroed (the bytes by value),
# and no oops (base zeroes through the direct map).
partial_punch_into_lost_page_fails() {
	xfs_io -c "fpunch 8704 512" $f 2>&1 |
		tee /dev/stderr | grep -q 'Input/output error' && salvage
}
# The page written whole from the disk in 512-byte pieces of one bio (as a
# buffer that is not page-aligned comes): on legacy pmem it is cleared and
# written; QEMU's NVDIMM cannot clear it, so EIO and nothing written.
zpage() { head -c 4096 /dev/zero | tr '\0' Z; }
raw_page_write_in_pieces() {
	if xfs_io -d -c "pwrite -q -S 0x5a5a5a5a -b 512 -V 8 $(((sector - 3) * 512)) 4096" /dev/pmem0; then
		[ "$RIG_KIND" != nfit ] &&
		[ "$(dd if=$f bs=4096 skip=2 count=1 2>/dev/null | md5sum)" = "$(zpage | md5sum)" ]
	else
		[ "$RIG_KIND" = nfit ] && salvage
	fi
}
# A machine check at a page no file holds: xfs finds no owner and marks
# nothing, yet the page leaves the direct map; a disk write of part of it
# fails (no oops).  ext4's generic path fails the machine check (no
# mapping): the page stays mapped and the write works.
verdicts() { dmesg | grep -c 'recovery action for dax page: '; }
inject() {
	before=$(verdicts)
	echo "# rig-monitor: mce -b 0 9 0xbd000000000000c0 0x5 $1 0x86"
	i=0
	while [ "$(verdicts)" -eq "$before" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	dmesg | grep 'recovery action for dax page: ' | tail -n 1 | tee /dev/stderr |
		grep -q Recovered
}
raw_write_into_lost_free_page() {
	out=$(xfs_io -d -c "pwrite -q -S 0x5a5a5a5a $(((freed + 1) * 512)) 512" /dev/pmem0 2>&1)
	echo "$freed_verdict; the write: ${out:-done}"
	case $freed_verdict in
	Recovered) echo "$out" | grep -q 'Input/output error' ;;
	*) [ $fs = ext4 ] && [ -z "$out" ] ;;
	esac
}
size=$(stat -c %s $f)
# Every byte salvaged is the file's, from the right place: outside the
# lost line (1-based 9729-10240 for cmp) the copy equals what is on the
# media; on legacy the line, too, is read (its junk), there being no record.
salvaged_by_value() {
	cmp -l /tmp/salvaged /tmp/on-media |
		awk -v lost=$lost '$1 <= 9728 || $1 > 9728 + lost { bad++ } END { exit bad > 0 }'
}
salvage() {
	demo-recover salvage $f | grep -qx "  got back $((size - lost)) of $size bytes" || return 1
	pmem-recover salvage $f /tmp/salvaged > /dev/null
	[ "$(stat -c %s /tmp/salvaged)" = $size ] && salvaged_by_value
}

check memory_failure_recovered recovered_or_say
check bad_sector_list bad_sector_listed
check query_says_where query_says_where
check unflagged_read_fails unflagged_read_fails
check flagged_salvage salvage
check partial_repair_keeps_page_out partial_repair_keeps_page_out
check raw_write_into_lost_page_fails raw_write_into_lost_page_fails
check plain_write_into_lost_page_fails plain_write_into_lost_page_fails
check partial_punch_into_lost_page_fails partial_punch_into_lost_page_fails
check raw_page_write_in_pieces raw_page_write_in_pieces
check flagged_repair repair
check file_after_repair file_after_repair
freed_verdict=Failed
inject $(printf '%#x' $((start + freed * 512))) && freed_verdict=Recovered
check raw_write_into_lost_free_page raw_write_into_lost_free_page
umount /mnt
