#!/bin/bash
# Run the kselftest suite on one kernel on every rig and print one
# "pass|fail|skip LABEL/RIG/FS/fixture.test" line per test, plus a
# "fail LABEL/RUN/boot" line for a run that timed out, lost its TAP or
# left a kernel splat.
# Usage: scripts/check-suite.sh LABEL BZIMAGE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

label=$1 kernel=$2
fs_list=${RIG_FS:-ext4,xfs,xfs-reflink}

boot() {	# boot RIG RUN-NAME VAR=VALUE...: one guest boot
	local rig=$1 name=$2 env=() out=$build/rig/$label-$2
	shift 2
	for e in "$@"; do env+=(--env "$e"); done
	if "$top/rig/run.sh" --rig "$rig" --out "$out" "${env[@]}" \
		"$kernel" "$top/rig/jobs/suite.sh" >&2; then
		echo "pass $label/$name/boot"
	else
		echo "fail $label/$name/boot"
	fi
	if [ -f "$out/tap.log" ]; then
		"$top/rig/tap-results.sh" "$out/tap.log" "$label/$rig"
	fi
}

for run in ${RIGS:-legacy legacy-dm nfit}; do
	case $run in
	legacy)
		boot legacy legacy "RIG_FS=$fs_list" ;;
	legacy-dm)	# S2: the same tests through dm-linear
		boot legacy legacy-dm "RIG_FS=ext4,xfs" RIG_DM=linear ;;
	nfit)
		# Poison can never be cleared there, and what one file system's
		# tests leave behind would make the next mkfs fail: one boot
		# (the bad-block list lasts one) per file system.
		for fs in ${fs_list//,/ }; do
			boot nfit "nfit-$fs" "RIG_FS=$fs"
		done ;;
	*)	die "unknown run $run" ;;
	esac
done
