# W5, first boot: repair a bad sector with RWF_RECOVERY_DATA, then check
# the data after unmount/mount and that the file kept its blocks.  The
# second boot (persist-verify.sh) checks the data after a reboot.
fs=${RIG_FS:-ext4}
. /jobs/file-sectors.sh
check() { if "$@" >/dev/null 2>&1; then echo "ok $n $name"; else echo "not ok $n $name"; fi; n=$((n + 1)); }

echo "TAP version 13"
echo "1..3"
echo "# dax-fs: persist-$fs"
case $fs in
ext4) mkfs.ext4 -q -F -b 4096 /dev/pmem0 ;;
xfs)  mkfs.xfs -q -f -m reflink=0 /dev/pmem0 ;;
esac
mount -o dax /dev/pmem0 /mnt
dd if=/dev/urandom of=/mnt/replica bs=4096 count=16 2>/dev/null
dd if=/dev/urandom of=/mnt/data bs=4096 count=16 2>/dev/null
# What the file must hold once repaired: its own data, sector 19 (bytes
# 9728-10239) from the replica.
cp /mnt/data /mnt/expect
dd if=/mnt/replica of=/mnt/expect bs=512 skip=19 seek=19 count=1 conv=notrunc 2>/dev/null
sync
sector=$(sector_of /mnt/data 19) || { echo "Bail out! no disk sector under /mnt/data"; exit 1; }
extents /mnt/data > /mnt/data.extents
echo "$sector 1" > /sys/block/pmem0/badblocks

n=1
name=persist.repair_clears_poison
repaired() { demo-recover repair /mnt/data 9728 512 /mnt/replica && [ -z "$(cat /sys/block/pmem0/badblocks)" ]; }
check repaired
sync
umount /mnt
mount -o dax /dev/pmem0 /mnt
name=persist.data_after_remount
check cmp /mnt/data /mnt/expect
name=persist.same_blocks
same_blocks() { [ "$(extents /mnt/data)" = "$(cat /mnt/data.extents)" ]; }
check same_blocks
umount /mnt
