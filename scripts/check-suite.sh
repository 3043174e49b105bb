#!/bin/bash
# Run the kselftest suite on one kernel on every rig and print one
# "pass|fail|skip LABEL/RIG/FS/fixture.test" line per test, plus a
# "fail LABEL/RIG/boot" line for a run that timed out, lost its TAP or
# left a kernel splat.
# Usage: scripts/check-suite.sh LABEL BZIMAGE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

label=$1 kernel=$2
for rig in ${RIGS:-legacy nfit}; do
	out=$build/rig/$label-$rig
	if "$top/rig/run.sh" --rig "$rig" --out "$out" --env "RIG_FS=${RIG_FS:-ext4,xfs}" \
		"$kernel" "$top/rig/jobs/suite.sh" >&2; then
		echo "pass $label/$rig/boot"
	else
		echo "fail $label/$rig/boot"
	fi
	[ -f "$out/tap.log" ] && "$top/rig/tap-results.sh" "$out/tap.log" "$label/$rig"
done
