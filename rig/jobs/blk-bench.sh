# The block benchmark's guest side (scripts/bench-blk.sh), on the first
# 32 MiB of three disks: /dev/pmem0, dm-dust over it and the scsi_debug
# disk (booted with scsi_debug.dev_size_mb=32).  Plain against flagged
# O_DIRECT reads of each clean disk; then the flagged read loop against a
# ddrescue-style loop over dm-dust with K bad blocks spread over the disk,
# and over scsi_debug with a medium error of K blocks.  Prints "bench ..."
# result lines, not TAP (run it with rig/run.sh --no-tap).
size=$((32 << 20))
blocks=$((size / 512))
sdebug=/sys/bus/pseudo/drivers/scsi_debug
params=/sys/module/scsi_debug/parameters

echo "bench case=kernel release=$(uname -r) version=$(uname -v | tr ' ' _)" \
	"cpus=$(grep -c ^processor /proc/cpuinfo)"

spread() {	# spread K: K block numbers spread over the disk, none at a chunk's start
	awk -v k="$1" -v n="$blocks" 'BEGIN { for (i = 0; i < k; i++) print int((i + 0.37) * n / k) + 3 }'
}

blk-bench fill /dev/pmem0 $size && blk-bench clean /dev/pmem0 $size pmem

dmsetup create --noudevsync bench_dust --table "0 $blocks dust /dev/pmem0 0 512" &&
	dmsetup mknodes bench_dust
dust=/dev/mapper/bench_dust
blk-bench clean $dust $size dust
for k in 1 16 256; do
	bad=$(spread $k)
	for b in $bad; do dmsetup message bench_dust 0 addbadblock "$b" >/dev/null; done
	dmsetup message bench_dust 0 enable
	blk-bench salvage $dust $size dust $bad
	dmsetup message bench_dust 0 disable
	dmsetup message bench_dust 0 clearbadblocks
done
dmsetup remove --noudevsync bench_dust

sda=/dev/$(basename "$(ls -d $sdebug/adapter*/host*/target*/*/block/* | head -1)")
blk-bench fill "$sda" $size && blk-bench clean "$sda" $size scsi
for k in 1 16; do
	first=$(spread 1)
	echo "$first" > $params/medium_error_start
	echo "$k" > $params/medium_error_count
	echo 2 > $sdebug/opts
	blk-bench salvage "$sda" $size scsi $(seq "$first" $((first + k - 1)))
	echo 0 > $sdebug/opts
done
