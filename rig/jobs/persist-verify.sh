# W5, second boot from the same guest memory file: the repair survived.
. /jobs/file-sectors.sh
fs=${RIG_FS:-ext4}
echo "TAP version 13"
echo "1..2"
echo "# dax-fs: persist-$fs"
if mount -o dax /dev/pmem0 /mnt && cmp -s /mnt/data /mnt/expect; then
	echo "ok 1 persist.data_after_reboot"
else
	echo "not ok 1 persist.data_after_reboot"
fi
if [ -s /mnt/data.extents ] && [ "$(extents /mnt/data)" = "$(cat /mnt/data.extents)" ]; then
	echo "ok 2 persist.blocks_after_reboot"
else
	echo "not ok 2 persist.blocks_after_reboot"
fi
umount /mnt
