#!/bin/bash
# Reads of block devices in executed instructions (QEMU -icount shift=0,
# as scripts/bench-paths.sh): boot the base and the patched kernel and run
# rig/jobs/blk-bench.sh on each: plain reads of clean pmem, dm-dust and
# scsi_debug disks, O_DIRECT and buffered, base against patched (spec U5),
# and flagged against plain on the patched kernel (S3/S4); then the
# flagged read loop against a ddrescue-style loop on disks with bad
# blocks.  Writes the tables to docs/benchmark-blk-BASE-DATE.md.
#
#   BENCH_PATCHED, BENCH_BASE   bzImages to measure instead of building them
#   BENCH_BEFORE    a bzImage of an earlier design of the flag, measured too
#                   and shown alongside ("before")
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$rigs/bench-blk
start=$SECONDS
bench_setup "$out"
kernels=(base patched)
if [ -n "${BENCH_BEFORE:-}" ]; then
	cp "$BENCH_BEFORE" "$out/before.bzImage"
	kernels+=(before)
fi

for kernel in "${kernels[@]}"; do
	say "booting $kernel under -icount shift=0"
	"$top/rig/run.sh" --no-tap --icount --timeout 1800 \
		--out "$out/$kernel" --initrd "$out/initramfs.cpio.gz" \
		--env scsi_debug.dev_size_mb=32 --env scsi_debug.delay=0 \
		"$out/$kernel.bzImage" "$top/rig/jobs/blk-bench.sh" ||
		die "$kernel: rig/run.sh failed (see $out/$kernel)"
done

report=$top/docs/benchmark-blk-$base-$(date +%F).md
python3 "$top/scripts/bench-blk-report.py" \
	--kernels "$(git -C "$tree" describe --tags --always) on Linux $(deb_version)" \
	${BENCH_BEFORE:+--before "$out/before/tap.log"} \
	"$out/base/tap.log" "$out/patched/tap.log" > "$report"
say "written: ${report#"$top"/} ($(( (SECONDS - start) / 60 )) min)"
