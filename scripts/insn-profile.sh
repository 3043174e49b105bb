#!/bin/bash
# Where the instructions of one system call go, function by function:
# boot the patched kernel with QEMU's gdb stub, let dax-bench make one of
# its calls case's calls over and over on a file with a run of 16 bad
# sectors (-L), and single-step that call through the kernel with gdb
# (scripts/insn-profile.py).  Prints each call's instruction count (they
# repeat to the instruction) and, for the last, the functions by the
# instructions they ran with what they called.  Instruction counts, not
# cycles, as the -icount benchmarks count them.  The file system is
# mounted noatime: with the guest clock stopped while gdb steps, every
# read would update the atime the benchmark's reads update once a tick.
#
#   scripts/insn-profile.sh CALL [FS]
#
# CALL is a method of dax-bench's calls case (flag-eio, plain-512, ...);
# FS is ext4 (default) or xfs.  PROFILE_KERNEL and PROFILE_VMLINUX: a
# bzImage to follow instead of the tree's patched one, and its vmlinux;
# PROFILE_CALLS (3): calls followed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 CALL [ext4|xfs]"
call=$1 fs=${2:-ext4}
case $call in
*-write) nr=328 ;;	# pwritev2
*)	 nr=327 ;;	# preadv2
esac
kernel=${PROFILE_KERNEL:-$tree/.obj/arch/x86/boot/bzImage}
vmlinux=${PROFILE_VMLINUX:-$tree/.obj/vmlinux}
[ -f "$kernel" ] && [ -f "$vmlinux" ] || die "no $kernel with its vmlinux: build it"
out=$rigs/insn-profile
mkdir -p "$out"
"$top/rig/initramfs.sh" "$out/initramfs.cpio.gz"

port=$((20000 + RANDOM % 20000))
rm -f "$out/tap.log"	# the wait below must not read an earlier run's
setsid "$top/rig/run.sh" --no-tap --icount --gdb "$port" --timeout 900 --out "$out" \
	--initrd "$out/initramfs.cpio.gz" \
	--env BENCH_CASES=calls --env "BENCH_FS=$fs" --env BENCH_MOUNT=dax,noatime --env "BENCH_LOOP=$call" \
	"$kernel" "$top/rig/jobs/bench.sh" > "$out/run.log" 2>&1 &
rig=$!
trap 'kill -- -$rig 2>/dev/null || true; wait $rig 2>/dev/null || true' EXIT

# Wait for the loop (or for the guest's end: a case that failed).
until grep -q "bench case=\(loop\|error\)" "$out/tap.log" 2>/dev/null; do
	kill -0 $rig 2>/dev/null || die "the guest ended early (see $out)"
	sleep 2
done
grep "bench case=error" "$out/tap.log" >&2 && die "dax-bench failed (see $out)"

echo "$call on $fs, $kernel"
PROFILE_NR=$nr PROFILE_PORT=$port PROFILE_CALLS=${PROFILE_CALLS:-3} \
	timeout 900 gdb -batch -nx -x "$top/scripts/insn-profile.py" "$vmlinux" 2>&1 |
	grep -v '^warning: \|^$\|^0x[0-9a-f]* in '
