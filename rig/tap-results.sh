#!/bin/bash
# Turn a rig TAP log into one line per test: "pass|fail|skip ID" where ID
# is PREFIX/FS/fixture.test, FS coming from the "# dax-fs: NAME" lines that
# run_dax_tests.sh prints before each file system.
# Usage: rig/tap-results.sh TAPLOG PREFIX
exec awk -v prefix="$2" '
/^# dax-fs: / { fs = $3; next }
/^(not )?ok [0-9]+ / {
	verdict = ($1 == "not") ? "fail" : "pass"
	name = ($1 == "not") ? $4 : $3
	if ($0 ~ /# SKIP/) verdict = "skip"
	print verdict, prefix "/" fs "/" name
}' "$1"
