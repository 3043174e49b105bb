# The device disappears under flagged I/O: flagged-io-loop reads and
# writes with RWF_RECOVERY_DATA while the pmem namespace is disabled
# (raw disk, then a DAX file system per RIG_FS) or a dm-linear device
# over it is removed with --force (its table becomes dm-error).  Every
# case must end in a clean errno, a kernel that goes on and a console
# without a splat (rig/run.sh checks that).  Prints TAP.
. /jobs/fsdax-namespace.sh
fss=$(echo "${RIG_FS:-ext4,xfs}" | tr , ' ')
check_prefix=unplug
. /jobs/check.sh

namespace_of_pmem0() {
	basename "$(readlink -f /sys/block/pmem0/device)"
}

wait_for() {	# wait_for TEST: up to 5 s
	i=0
	while ! eval "$1" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	eval "$1"
}

# Take the namespace away.  ndctl may refuse a namespace in use; a driver
# unbind through sysfs cannot be refused, which is what a hot-unplug is.
disable_namespace() {
	ndctl disable-namespace "$ns" || {
		echo "ndctl refused: unbinding $ns in sysfs"
		echo "$ns" > "/sys/bus/nd/devices/$ns/driver/unbind"
	}
	wait_for '[ ! -b /dev/pmem0 ]'
}

enable_namespace() {
	ndctl enable-namespace "$ns" > /dev/null 2>&1 ||
		echo "$ns" > /sys/bus/nd/drivers/nd_pmem/bind
	wait_for '[ -b /dev/pmem0 ]'
}

# unplug_under_io PATH REMOVE...: flagged I/O on PATH in the background,
# then REMOVE; the loop must still be running when REMOVE starts, and end
# by itself with a clean error.  $round is the bytes per flagged read
# ($delay s of I/O before REMOVE).
round=65536 delay=1
unplug_under_io() {
	path=$1
	shift
	flagged-io-loop "$path" 30 $round > /tmp/loop.out 2>&1 &
	pid=$!
	sleep $delay
	if ! kill -0 $pid 2>/dev/null; then
		cat /tmp/loop.out
		echo "the loop ended before the device went away"
		return 1
	fi
	"$@"
	wait $pid
	rc=$?
	cat /tmp/loop.out
	[ $rc -eq 0 ]
}

make_fs() {	# make_fs FS DEV
	case $1 in
	ext4)	mkfs.ext4 -q -F -b 4096 "$2" ;;
	xfs)	mkfs.xfs -q -f -m reflink=0 "$2" ;;
	esac
}

file_on() {	# file_on FS DEV: a 4 MiB file on a fresh FS -o dax on DEV
	make_fs "$1" "$2" > /dev/null && mount -o dax "$2" /mnt &&
		dd if=/dev/urandom of=/mnt/data bs=1M count=4 2> /dev/null && sync
}

# After the device is gone the file system still unmounts.
unmount() {
	umount /mnt
}

# The device can vanish between dax_direct_access(), which finds it alive,
# and the driver's recovery operation: a window of a few hundred
# instructions.  Take the namespace away under sector-sized flagged I/O
# $cycles times over to hit it.
cycles=${UNPLUG_CYCLES:-40}
unplug_repeatedly() {	# on the file system made by file_on
	round=512 delay=0.3 cycle=0
	while [ $cycle -lt $cycles ] &&
	      unplug_under_io /mnt/data disable_namespace > /tmp/cycle.out 2>&1 &&
	      umount /mnt && enable_namespace && mount -o dax /dev/pmem0 /mnt; do
		cycle=$((cycle + 1))
	done
	round=65536 delay=1
	echo "$cycle of $cycles cycles; the last one:"
	cat /tmp/cycle.out
	[ $cycle -eq $cycles ]
}

ns=$(namespace_of_pmem0)
dmdev=/dev/mapper/unplug
dm_linear() {
	dmsetup create --noudevsync unplug --table \
		"0 $(blockdev --getsz /dev/pmem0) linear /dev/pmem0 0" &&
		dmsetup mknodes unplug
}
dm_remove() {
	dmsetup remove --noudevsync --force unplug || true	# busy: now dm-error
}

echo "TAP version 13"
echo "1..$((3 + 4 * $(echo $fss | wc -w)))"
echo "# dax-fs: raw ($ns)"
check raw_disk_namespace_disabled unplug_under_io /dev/pmem0 disable_namespace
check raw_disk_namespace_back enable_namespace
for fs in $fss; do
	echo "# dax-fs: $fs"
	if file_on "$fs" /dev/pmem0; then
		check "$fs.namespace_disabled_repeatedly" unplug_repeatedly
		check "$fs.namespace_disabled" unplug_under_io /mnt/data disable_namespace
	else
		check "$fs.namespace_disabled_repeatedly" false
		check "$fs.namespace_disabled" false
	fi
	check "$fs.unmount_after_unplug" unmount
	check "$fs.namespace_back" enable_namespace
done
echo "# dax-fs: ext4+dm-linear"
if dm_linear && file_on ext4 $dmdev; then
	check ext4+dm-linear.removed unplug_under_io /mnt/data dm_remove
else
	check ext4+dm-linear.removed false
fi
umount /mnt
dmsetup remove --noudevsync unplug > /dev/null 2>&1
