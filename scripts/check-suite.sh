#!/bin/bash
# Run the kselftest suite on one kernel on every rig and print one
# "pass|fail|skip LABEL/RUN/FS/fixture.test" line per test (RUN names the
# guest boot), plus a "pass|fail LABEL/RUN/boot" line: it fails when the
# run timed out, lost its TAP, left a kernel splat, or its job exited
# non-zero with no failed test to show for it.
# Usage: scripts/check-suite.sh LABEL BZIMAGE [INITRD]
# RIG_TIMEOUT (seconds per boot, default 300), DAX_CAMPAIGN_SEEDS
# (poison campaign seeds per file system, default lib.sh's
# $campaign_seeds) and UNPLUG_CYCLES (namespace removals under I/O per
# file system, default 40) size the runs for slower kernels.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

label=$1 kernel=$2 initrd=${3:-$rigs/initramfs.cpio.gz}
# LABEL names the rig's output directories ($rigs/LABEL-RUN).
[[ $label =~ ^[A-Za-z0-9._-]+$ ]] || die "LABEL '$label': letters, digits, . _ - only"
fs_list=${RIG_FS:-ext4,xfs,xfs-reflink}

# A job exits non-zero when one of its tests failed; for any other reason
# (a program missing, a mount that failed) it lost tests on every kernel.
job_exit_explained() {	# job_exit_explained OUT
	local status
	status=$(sed -n 's/^rig: job exited with //p' "$1/console.log")
	[ "$status" = 0 ] || grep -q '^not ok ' "$1/tap.log" || {
		echo "the job exited with ${status:-nothing}, no test failed" > "$1/failure"
		false
	}
}

# A failed boot's result line says why (rig/run.sh or the job's exit
# left the reason in OUT/failure), and the ends of its logs go to
# stderr: CI keeps only the run's output, not the rig's logs.
boot_failed() {	# boot_failed OUT ID
	local log
	echo "fail $2 ($(head -n 1 "$1/failure" 2>/dev/null || echo "no reason recorded"))"
	for log in console tap; do
		tail -n 20 "$1/$log.log" 2>/dev/null | sed "s|^|$2: $log: |" >&2
	done
}

boot() {	# boot RIG RUN-NAME JOB [rig/run.sh options]: one guest boot
	local rig=$1 name=$2 job=$3 out=$rigs/$label-$2 start=$SECONDS
	shift 3
	rm -f "$out/failure"
	if "$top/rig/run.sh" --rig "$rig" --out "$out" --initrd "$initrd" \
		--timeout "${RIG_TIMEOUT:-300}" \
		--env "DAX_CAMPAIGN_SEEDS=${DAX_CAMPAIGN_SEEDS:-$campaign_seeds}" "$@" \
		"$kernel" "$top/rig/jobs/$job" >&2 && job_exit_explained "$out"; then
		echo "pass $label/$name/boot"
	else
		boot_failed "$out" "$label/$name/boot"
	fi
	timing "boot $label/$name: $((SECONDS - start)) s"
	if [ -f "$out/tap.log" ]; then
		"$top/rig/tap-results.sh" "$out/tap.log" "$label/$name"
	fi
}

# run RUN: the boots of one run, in order (some share a disk image).
run() {
	case $1 in
	legacy)
		boot legacy legacy suite.sh --env "RIG_FS=$fs_list" ;;
	legacy-dm)	# S2: the same tests through dm-linear
		boot legacy legacy-dm suite.sh --env RIG_FS=ext4,xfs \
			--env RIG_DM=linear ;;
	legacy-logwrites)	# S2, Q1: recovery and the query through dm-log-writes,
		# logging to the rig's scsi_debug disk
		boot legacy legacy-logwrites suite.sh --env RIG_FS=ext4,xfs-reflink \
			--env RIG_DM=log-writes --env RIG_LOGDEV=/dev/sda \
			--env RIG_TESTS=dax_poison,dax_poison_query ;;
	legacy-part)	# S2, Q1: recovery and the query on a partition, which
		# starts 1 MiB + 4 KiB into the disk (not 2 MiB-aligned); xfs
		# refuses DAX with reflink on a partition
		boot legacy legacy-part suite.sh --env RIG_FS=ext4,xfs \
			--env RIG_PART=2056 --env RIG_TESTS=dax_poison,dax_poison_query ;;
	full-table)	# W4: a repair the full bad-block table refuses stores nothing
		boot legacy full-table full-table.sh --env RIG_FS=ext4 ;;
	dm-flush)	# flushes with data through dm-stripe stay in place (7.3)
		boot legacy dm-flush dm-flush.sh ;;
	legacy-stripe)	# S2: and through dm-stripe, 4 KiB chunks (copy-on-write too)
		boot legacy legacy-stripe suite.sh --env RIG_FS=ext4,xfs,xfs-reflink \
			--env RIG_DM=stripe ;;
	legacy-stripe64)	# S2: copy-on-write across 64 KiB chunks placed apart
		boot legacy legacy-stripe64 suite.sh --env RIG_FS=xfs-reflink \
			--env RIG_DM=stripe --env RIG_CHUNK=128 \
			--env RIG_TESTS=dax_poison \
			--env RIG_ONLY=poisoned_file.write_shared_extent_across_chunks ;;
	legacy-persist)	# W5: repair, remount, then reboot from the same memory
		ram=$rigs/$label-persist.ram
		for fs in ext4 xfs; do
			rm -f "$ram"
			boot legacy "persist-$fs" persist-repair.sh --ram "$ram" \
				--env "RIG_FS=$fs"
			boot legacy "persist-$fs-reboot" persist-verify.sh \
				--ram "$ram" --env "RIG_FS=$fs"
		done
		rm -f "$ram" ;;
	nfit-persist)	# W5 on the NVDIMM: repair by copy-on-write, reboot
		img=$rigs/$label-persist-nvdimm.img
		rm -f "$img"
		boot nfit persist-nfit persist-nfit-repair.sh --nvdimm "$img"
		boot nfit persist-nfit-reboot persist-nfit-verify.sh --nvdimm "$img"
		rm -f "$img" ;;
	nfit)
		# Poison can never be cleared there, and what one file system's
		# tests leave behind would make the next mkfs fail: one boot
		# (the bad-block list lasts one) per file system.
		for fs in ${fs_list//,/ }; do
			boot nfit "nfit-$fs" suite.sh --env "RIG_FS=$fs"
		done ;;
	mce)	# a machine check at a file's page, then salvage and repair
		for fs in ext4 xfs; do
			boot legacy "mce-$fs" mce.sh --env "RIG_FS=$fs"
		done
		boot nfit mce-nfit mce.sh --env RIG_FS=ext4 ;;
	nfit-test)	# modular kernels only: ndctl's emulated bus
		for fs in ext4 xfs; do
			boot nfit-test "nfit-test-$fs" nfit-test.sh --env "RIG_FS=$fs"
		done ;;
	unplug)		# the namespace or a dm device vanishes under flagged I/O
		boot legacy unplug unplug.sh --env RIG_FS=ext4,xfs \
			--env "UNPLUG_CYCLES=${UNPLUG_CYCLES:-40}" ;;
	app-tools)	# pmem-recover and the SIGBUS sample on a damaged file
		boot legacy app-tools app-tools.sh --env RIG_FS=ext4,xfs ;;
	*)	die "unknown run $1" ;;
	esac
}

# A guest keeps about one core busy (most tests run one thread), so runs
# go CHECK_JOBS at a time (default: one per CPU), the longest first, each
# into its own file; their lines are printed in the order of RIGS.
read -ra runs <<< "${RIGS:-legacy-stripe legacy unplug legacy-dm nfit mce legacy-persist nfit-persist app-tools legacy-stripe64 dm-flush full-table legacy-logwrites legacy-part}"
for r in "${runs[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "${CHECK_JOBS:-$(nproc)}" ]; do
		wait -n || true
	done
	run "$r" > "$rigs/$label-$r.results" &
done
wait
for r in "${runs[@]}"; do cat "$rigs/$label-$r.results"; done
