#!/bin/bash
# Boot a kernel on the QEMU pmem rig, run one job in the guest and collect
# its TAP output.  Fails on a timeout, on a TAP stream without a plan and
# on any kernel splat in the console log.
#
# Usage: rig/run.sh [options] BZIMAGE JOB
#   --rig legacy|nfit|nfit-test
#                       memmap= pmem (default), an ACPI NFIT NVDIMM, or no
#                       pmem but the nfit_test modules (modular kernel only)
#   --nvdimm FILE       backing file of the NVDIMM (default: a new one in --out)
#   --ram FILE          legacy rig: back guest RAM, memmap= pmem included,
#                       with FILE, so that the pmem keeps its data across boots
#   --pmem MIB          legacy rig: size of the memmap= pmem (default 512);
#                       guest RAM grows with it (1.5 GiB + MIB)
#   --out DIR           where console.log and tap.log go
#   --initrd FILE       guest userspace (default: build/rig/initramfs.cpio.gz)
#   --env VAR=VALUE     exported to the job (repeatable)
#   --timeout SECONDS   (default 300)
#   --no-tap            the job prints prose, not TAP (the demo)
#   --icount            one vCPU whose clock advances one nanosecond per
#                       executed instruction (-icount shift=0), to compare
#                       the cost of kernel paths
#   --gdb PORT          QEMU's gdb stub on localhost:PORT, the kernel at the
#                       addresses vmlinux gives (nokaslr)
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

rig=legacy out=$rigs/run nvdimm= ram= initrd=$rigs/initramfs.cpio.gz
timeout=300 env=() tap=yes pmem=512 cpus=(-smp 2) gdb=
while [ $# -gt 2 ]; do
	case $1 in
	--no-tap) tap=no; shift; continue ;;
	--icount) cpus=(-smp 1 -icount shift=0); shift; continue ;;
	--rig) rig=$2 ;;
	--nvdimm) nvdimm=$2 ;;
	--ram) ram=$2 ;;
	--pmem) pmem=$2 ;;
	--out) out=$2 ;;
	--initrd) initrd=$2 ;;
	--env) env+=("$2") ;;
	--timeout) timeout=$2 ;;
	--gdb) gdb=$2 ;;
	*) die "unknown option $1" ;;
	esac
	shift 2
done
[ $# -eq 2 ] || die "usage: $0 [options] BZIMAGE JOB"
kernel=$1 job=$2

mkdir -p "$out"
rm -f "$out"/{console.log,tap.log,failure}
# A unix socket's path holds at most 107 bytes: the monitor's lives in a
# short private directory, not under a checkout that may sit deep.
sockdir=$(mktemp -d /tmp/rig.XXXXXX)
monitor=$sockdir/monitor.sock
trap 'rm -rf "$sockdir"' EXIT

# The job travels as a second cpio archive appended to the guest's initrd.
jobdir=$out/job
rm -rf "$jobdir" && mkdir -p "$jobdir"
{
	echo "dir /jobs 755 0 0"
	echo "file /job.sh $job 644 0 0"
	for j in "$top"/rig/jobs/*.sh; do echo "file /jobs/${j##*/} $j 644 0 0"; done
} > "$jobdir/list"
"$tree/.obj/usr/gen_init_cpio" "$jobdir/list" | gzip -n > "$jobdir/job.cpio.gz"
cat "$initrd" "$jobdir/job.cpio.gz" > "$jobdir/initrd.gz"

# An oops panics and the guest powers off at once (-no-reboot): a crashed
# kernel fails its run in seconds, not after the timeout.  The TSC goes
# unwatched, on every kernel alike (base and patched must boot the same
# way): 7.3's clocksource watchdog, checking the TSCs of two vCPUs
# against each other, hung a debug kernel at boot under TCG (the remote
# vCPU never answered, and its timeout reads a clock that stood still
# with interrupts off).  Under -icount this also drops the watchdog's
# check every 0.5 s from what the benchmarks count, which those of
# docs/ before 2026-12-02 (session 16) still had.
append="console=ttyS0 oops=panic panic=-1 tsc=nowatchdog RIG_KIND=$rig ${env[*]}"
qemu=(qemu-system-x86_64 -cpu qemu64,+rdrand,vendor=GenuineIntel "${cpus[@]}"
      -display none -no-reboot -kernel "$kernel" -initrd "$jobdir/initrd.gz"
      -serial "file:$out/console.log" -serial "file:$out/tap.log"
      -monitor "unix:$monitor,server,nowait")
if [ -n "$gdb" ]; then
	qemu+=(-gdb "tcp:127.0.0.1:$gdb")
	append+=" nokaslr"
fi
case $rig in
legacy)
	# The pmem starts at 1 GiB and leaves 512 MiB of RAM above it.
	mem=$((1536 + pmem))M
	if [ -n "$ram" ]; then
		[ -f "$ram" ] || truncate -s "$mem" "$ram"
		qemu+=(-machine pc,memory-backend=ram0 -m "$mem"
		       -object "memory-backend-file,id=ram0,share=on,mem-path=$ram,size=$mem")
	else
		qemu+=(-machine pc -m "$mem")
	fi
	append+=" memmap=${pmem}M!1G" ;;
nfit)
	if [ -z "$nvdimm" ]; then
		nvdimm=$out/nvdimm.img
		rm -f "$nvdimm"
	fi
	[ -f "$nvdimm" ] || truncate -s 512M "$nvdimm"
	qemu+=(-machine pc,nvdimm=on -m 2G,slots=2,maxmem=4G
	       -object "memory-backend-file,id=mem1,share=on,mem-path=$nvdimm,size=512M"
	       -device nvdimm,id=nv1,memdev=mem1) ;;
nfit-test)	# tools/testing/nvdimm emulates its buses in guest memory
	qemu+=(-machine pc -m 2G) ;;
*)	die "unknown rig $rig" ;;
esac

# A job asks for a QEMU monitor command (an "mce" to inject a machine
# check) by printing "# rig-monitor: COMMAND" on its output.
monitor_relay() {
	tail -F "$out/tap.log" 2>/dev/null |
		sed -un 's/\r$//; s/^# rig-monitor: //p' | while read -r cmd; do
			say "monitor: $cmd"
			# (set -e would end the relay on one failed connect.)
			echo "$cmd" | socat - "UNIX-CONNECT:$monitor" >/dev/null ||
				say "monitor: $cmd: socat failed ($?)"
		done
}
: > "$out/tap.log"
monitor_relay &
relay=$!
# (set -e applies in the trap too: every command there must succeed.)
trap 'pkill -P $relay 2>/dev/null || true; kill $relay 2>/dev/null || true
      wait $relay 2>/dev/null || true; rm -rf "$sockdir"' EXIT

# Under multi-threaded TCG a vCPU can run the stale int3 of a kernel text
# patch (a static key flipped, "sched_clock: Marking stable" at boot):
# the kernel oopses on an int3 that no patch claims any more.  Seen on
# 7.3 about once in 40 boots, mostly before userspace (rig/init waits for
# the clocksource switch, the last patch at boot, before it says that
# userspace runs), once during a job; never on 6.12.  Nothing in
# the kernel raises int3 otherwise (BUG and WARN use ud2), so such a
# boot is made once more, from the start; its console stays in
# console-flake.log.
boot_flaked() { grep -q '^Oops: int3' "$out/console.log"; }
for try in 1 2; do
	status=0
	timeout --foreground "$timeout" "${qemu[@]}" -append "$append" </dev/null ||
		status=$?
	[ $try = 1 ] && boot_flaked || break
	say "$rig: an int3 oops (TCG text patching), booting again"
	mv "$out/console.log" "$out/console-flake.log"
	: > "$out/tap.log"
done
pkill -P $relay 2>/dev/null || true	# before the logs are rewritten below

# The guest's serial ports turn "\n" into "\r\n".
for log in "$out/console.log" "$out/tap.log"; do
	if [ -f "$log" ]; then sed -i 's/\r$//' "$log"; fi
done

# The reason also goes to $out/failure, for the run's result line.
fail() { say "$rig: $*"; echo "$*" > "$out/failure"; exit 1; }
[ $status -ne 124 ] || fail "timed out after $timeout s"
[ $status -eq 0 ] || fail "qemu exited with $status"
splat=$(grep -E -f "$top/rig/splat-patterns" "$out/console.log" | head -5 || true)
[ -z "$splat" ] || fail "kernel splat in $out/console.log: ${splat%%$'\n'*}"
grep -q '^rig: job exited' "$out/console.log" || fail "the job did not finish (see $out/console.log)"
[ $tap = no ] || "$top/rig/tap-check.sh" "$out/tap.log" || fail "incomplete TAP in $out/tap.log"
say "$rig: $(grep -o 'userspace after .*' "$out/console.log")"
