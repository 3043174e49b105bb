#!/bin/bash
# Run the kselftest suite on one kernel on every rig and print one
# "pass|fail|skip LABEL/RIG/FS/fixture.test" line per test, plus a
# "fail LABEL/RIG/boot" line for a run that timed out, lost its TAP or
# left a kernel splat.
# Usage: scripts/check-suite.sh LABEL BZIMAGE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

label=$1 kernel=$2
fs_list=${RIG_FS:-ext4,xfs,xfs-reflink}

# One boot runs the whole list, except on the NFIT rig: there poison can
# never be cleared, and what one file system's tests leave behind would
# make the next mkfs fail.  The bad-block list lasts one boot.
boot() {	# boot RIG FS-LIST NAME
	local out=$build/rig/$label-$3
	if "$top/rig/run.sh" --rig "$1" --out "$out" --env "RIG_FS=$2" \
		"$kernel" "$top/rig/jobs/suite.sh" >&2; then
		echo "pass $label/$3/boot"
	else
		echo "fail $label/$3/boot"
	fi
	if [ -f "$out/tap.log" ]; then
		"$top/rig/tap-results.sh" "$out/tap.log" "$label/$1"
	fi
}

for rig in ${RIGS:-legacy nfit}; do
	if [ "$rig" = nfit ]; then
		for fs in ${fs_list//,/ }; do boot nfit "$fs" "nfit-$fs"; done
	else
		boot "$rig" "$fs_list" "$rig"
	fi
done
