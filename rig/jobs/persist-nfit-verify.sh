# W5 on the NFIT rig, second boot from the same NVDIMM file: the data
# written by the copy-on-write repair survived the power-off.
. /jobs/fsdax-namespace.sh
echo "TAP version 13"
echo "1..1"
echo "# dax-fs: persist-nfit-xfs-reflink"
if mount -o dax /dev/pmem0 /mnt && cmp -s /mnt/data /mnt/expect; then
	echo "ok 1 persist.data_after_reboot"
else
	echo "not ok 1 persist.data_after_reboot"
fi
umount /mnt
