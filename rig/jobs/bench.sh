# The benchmark's guest side (scripts/bench.sh): dax-bench on ext4 and on
# xfs (reflink off), each made afresh on /dev/pmem0 and mounted -o dax.
# Prints "bench ..." result lines, not TAP (run it with rig/run.sh --no-tap).
# BENCH_FS (ext4,xfs), BENCH_CASES (salvage,repair,hot,scan), BENCH_REPS,
# BENCH_HOT_REPS and BENCH_SCAN_REPS choose what runs and how often;
# BENCH_LOOP=CALL makes the calls case loop on CALL, for a debugger, and
# BENCH_MOUNT the mount options (dax).
. /jobs/fsdax-namespace.sh
. /jobs/dax-mounted.sh

echo "bench case=kernel release=$(uname -r) version=$(uname -v | tr ' ' _)" \
	"pmem_mib=$(($(cat /sys/block/pmem0/size) / 2048))" \
	"cpus=$(grep -c ^processor /proc/cpuinfo)"

mkfs_mount() {	# mkfs_mount FS: a fresh FS on /dev/pmem0, mounted -o dax on /mnt
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 /dev/pmem0 ;;
	xfs)  mkfs.xfs -q -f -m reflink=0 /dev/pmem0 ;;
	*)    false ;;
	esac && mount -o "${BENCH_MOUNT:-dax}" /dev/pmem0 /mnt
}

for fs in $(echo "${BENCH_FS:-ext4,xfs}" | tr , ' '); do
	if ! mkfs_mount "$fs"; then
		echo "bench case=error fs=$fs failed=mount"
		continue
	fi
	if dax_mounted /dev/pmem0 /mnt; then
		dax-bench -c "${BENCH_CASES:-salvage,repair,hot,scan}" \
			-r "${BENCH_REPS:-5}" -H "${BENCH_HOT_REPS:-7}" \
			-S "${BENCH_SCAN_REPS:-3}" ${BENCH_LOOP:+-L "$BENCH_LOOP"} \
			-d /dev/pmem0 -f "$fs" /mnt
	else
		echo "bench case=error fs=$fs failed=dax"
	fi
	umount /mnt
done
