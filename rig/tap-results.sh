#!/bin/bash
# Turn a rig TAP log into one line per test: "pass|fail|skip ID" where ID
# is PREFIX/FS/fixture.test, FS coming from the "# dax-fs: NAME" lines that
# run_dax_tests.sh prints before each file system.  A skip carries its
# reason ("skip ID # why"); a "Bail out!" is a failed test of its own,
# PREFIX/FS/bail-out.
# Usage: rig/tap-results.sh TAPLOG PREFIX
exec awk -v prefix="$2" '
/^# dax-fs: / { fs = $3; next }
/^Bail out!/ { print "fail", prefix "/" fs "/bail-out"; next }
/^(not )?ok [0-9]+ / {
	verdict = ($1 == "not") ? "fail" : "pass"
	name = ($1 == "not") ? $4 : $3
	why = ""
	if (match($0, /# SKIP.*/)) {
		verdict = "skip"
		why = " # " substr($0, RSTART + 7)
	}
	print verdict, prefix "/" fs "/" name why
}' "$1"
