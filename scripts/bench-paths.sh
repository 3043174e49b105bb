#!/bin/bash
# The cost of kernel code paths in executed instructions: boot the base
# and the patched kernel once each under QEMU's -icount shift=0 (one vCPU
# whose clock advances one nanosecond per executed guest instruction, so
# that the guest's CLOCK_MONOTONIC counts instructions), run dax-bench's
# hot path on a clean file (4 KiB and 1 MiB calls, unflagged and flagged)
# on ext4 and xfs -o dax, and write per call the base and the patched
# kernel's instructions for the unflagged calls (spec U5) and the flagged
# against the unflagged call on the patched kernel; finding the poison of
# a 1 GiB file by reading it with the flag against FS_IOC_GETPOISON; the
# flagged read loop over a 1 GiB file, clean and with 1, 64 and 4096 bad
# sectors, against plain reads of the clean file (stepping a sector, or the
# range FS_IOC_GETPOISON reports, past a failed read); each call that loop
# makes around a run of bad sectors, one by one; and a flagged repair of
# 1, 16 and 256 bad sectors against unflagged page rewrites; to
# docs/benchmark-paths-BASE-DATE.md, with a plot of the ratios against their
# targets in docs/benchmark-paths-BASE.png.  The figures repeat between boots to
# a few parts per million; they are instruction counts, not cycles (no
# cache or memory latency), and say nothing of the device's speed.
#
#   BENCH_PATCHED, BENCH_BASE   bzImages to measure instead of building them
#   BENCH_HOT_REPS (3)          timed passes over the file per figure
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$rigs/bench-paths
start=$SECONDS
bench_setup "$out"

for kernel in base patched; do
	say "booting $kernel under -icount shift=0"
	"$top/rig/run.sh" --no-tap --icount --pmem 1536 --timeout 1800 \
		--out "$out/$kernel" --initrd "$out/initramfs.cpio.gz" \
		--env BENCH_CASES=hot,query,scan,calls,repair --env BENCH_SCAN_REPS=3 --env BENCH_REPS=5 \
		--env "BENCH_HOT_REPS=${BENCH_HOT_REPS:-3}" \
		"$out/$kernel.bzImage" "$top/rig/jobs/bench.sh" ||
		die "$kernel: rig/run.sh failed (see $out/$kernel)"
done

report=$top/docs/benchmark-paths-$base-$(date +%F).md
python3 "$top/scripts/bench-paths-report.py" \
	--kernels "$(git -C "$tree" describe --tags --always) on Linux $(deb_version)" \
	--plot "$top/docs/benchmark-paths-$base.png" \
	"$out/base/tap.log" "$out/patched/tap.log" > "$report"
say "written: ${report#"$top"/} ($(( (SECONDS - start) / 60 )) min)"
