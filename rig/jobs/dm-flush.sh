# Writes that carry a flush through dm-stripe land where the stripe maps
# them: two stripes over the two halves of one disk (the stacking of the
# suite's dm-stripe runs), xfs on it, files written with fsync (the
# log's flush + FUA writes), then read back from the disk, not the page
# cache, and compared.  Linux 7.3 sent the data of such a flush unmapped
# to the first stripe's device: log records landed on file data (about
# one file in four) and the remount found the log corrupt ("Structure
# needs cleaning"); the series fixes it at its head.  With and without
# -o dax.  Prints TAP.
. /jobs/check.sh
check_prefix=dm_flush
dev=/dev/pmem0
files=48

echo "TAP version 13"
echo "1..2"
echo "# dax-fs: xfs+dm-stripe"
sectors=$(blockdev --getsz $dev)
half=$((sectors / 16 * 8))
dmsetup create --noudevsync stripe \
	--table "0 $((2 * half)) striped 2 8 $dev 0 $dev $half" &&
	dmsetup mknodes stripe || echo "Bail out! cannot create dm-stripe over $dev"
head -c 65536 /dev/zero | tr '\0' '\132' > /tmp/data

# files_survive OPTIONS: every file of the run reads back as written.
files_survive() {
	mkfs.xfs -q -f -m reflink=0 /dev/mapper/stripe &&
		mount -o "$1" /dev/mapper/stripe /mnt || return 1
	i=0
	while [ $i -lt $files ]; do
		dd if=/tmp/data of=/mnt/f$i bs=65536 conv=fsync 2>/dev/null
		i=$((i + 1))
	done
	umount /mnt && mount -o "$1" /dev/mapper/stripe /mnt || return 1
	bad=0 i=0
	while [ $i -lt $files ]; do
		cmp -s /tmp/data /mnt/f$i || { echo "f$i differs"; bad=$((bad + 1)); }
		i=$((i + 1))
	done
	umount /mnt
	echo "$bad of $files files differ"
	[ $bad -eq 0 ]
}
check xfs_files_survive files_survive dax=never
check xfs_dax_files_survive files_survive dax
dmsetup remove --noudevsync stripe
