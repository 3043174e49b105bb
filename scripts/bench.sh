#!/bin/bash
# The benchmark: boot the base and the patched kernel in turn, three times
# each, on the legacy rig with 1.5 GiB of pmem; run dax-bench
# (rig/tools/dax-bench.c: salvage, repair, hot path, scan) on ext4 and xfs
# -o dax in every boot, and print one table.  The table also goes to
# docs/benchmark-DATE.md, with a plot of salvage and repair cost in
# docs/benchmark.png.  The base kernel's boots against each other are the
# rig's noise.  It reports figures; a slow machine gets slow figures, not
# a failure.
#
#   BENCH_PATCHED, BENCH_BASE   bzImages to measure instead of building them
#   BENCH_BOOTS (3)             boots of each kernel
#   BENCH_REPS (11), BENCH_HOT_REPS (31), BENCH_SCAN_REPS (3)   repetitions
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$rigs/bench
reps=${BENCH_REPS:-11} hot_reps=${BENCH_HOT_REPS:-31} scan_reps=${BENCH_SCAN_REPS:-3}
boots=${BENCH_BOOTS:-3}
start=$SECONDS
mkdir -p "$out"

# Copies, so that a rebuild meanwhile cannot change what is measured.
"$top/scripts/deps.sh"
if [ -z "${BENCH_PATCHED:-}" ]; then
	"$top/scripts/tree.sh"
	BENCH_PATCHED=$("$top/scripts/kernel.sh" patched)
fi
if [ -z "${BENCH_BASE:-}" ]; then
	"$top/scripts/tree.sh"
	BENCH_BASE=$("$top/scripts/kernel.sh" base)
fi
cp "$BENCH_PATCHED" "$out/patched.bzImage"
cp "$BENCH_BASE" "$out/base.bzImage"
# The tree moves on while the boots run; say what it was when copied.
series=$(git -C "$tree" describe --tags --always 2>/dev/null || echo unknown)
"$top/rig/initramfs.sh" "$out/initramfs.cpio.gz"

say "repetitions: salvage/repair $reps, hot path $hot_reps, scan $scan_reps; $boots boots per kernel"
: > "$out/results"
for i in $(seq "$boots"); do
	for kernel in base patched; do
		boot=$kernel$i
		say "booting $boot"
		echo "bench boot=$boot kernel=$kernel case=host load1=$(cut -d' ' -f1 /proc/loadavg)" \
			>> "$out/results"
		"$top/rig/run.sh" --no-tap --pmem 1536 --timeout 1800 --out "$out/$boot" \
			--initrd "$out/initramfs.cpio.gz" --env "BENCH_REPS=$reps" \
			--env "BENCH_HOT_REPS=$hot_reps" --env "BENCH_SCAN_REPS=$scan_reps" \
			"$out/$kernel.bzImage" "$top/rig/jobs/bench.sh" ||
			say "$boot: rig/run.sh failed (see $out/$boot); its figures may be incomplete"
		sed -n "s/^bench /bench boot=$boot kernel=$kernel /p" "$out/$boot/tap.log" \
			>> "$out/results" || true
	done
done

date=$(date +%F)
runtime="$(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s"
python3 "$top/scripts/bench-report.py" --date "$date" --runtime "$runtime" \
	--debian "$(dpkg-query -W -f='${Version}' "$deb_pkg")" \
	--series "$series" \
	--qemu "$(qemu-system-x86_64 --version | head -1 | awk '{ print $4 }')" \
	"$out/results" "$top/docs/benchmark-$date.md" "$top/docs/benchmark.png"
say "written: docs/benchmark-$date.md, docs/benchmark.png ($runtime)"
