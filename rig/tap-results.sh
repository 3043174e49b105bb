#!/bin/bash
# Turn a rig TAP log into one line per test: "pass|fail|skip ID" where ID
# is PREFIX/FS/fixture.test, FS coming from the "# dax-fs: NAME" lines that
# run_dax_tests.sh prints before each file system.  A skip carries its
# reason and a failure what the test printed ("fail ID # line | line"):
# the kselftest harness prints a test's diagnostics between its "#  RUN"
# line and its result, the rig's shell checks after their result.  A
# "Bail out!" is a failed test of its own, PREFIX/FS/bail-out.
# Usage: rig/tap-results.sh TAPLOG PREFIX
exec awk -v prefix="$2" '
function emit() {
	if (held == "") return
	print held (fails ? " # " substr(held_ran ? before : after, 1, 400) : "")
	held = ""
}
function note(line,    text) {
	text = line; sub(/^# ?/, "", text)
	if (text ~ /^ *(OK|FAIL|SKIP) / || text == "") return
	if (held != "") after = after (after == "" ? "" : " | ") text
	pending = pending (pending == "" ? "" : " | ") text
}
/^# dax-fs: / { emit(); fs = $3; pending = ""; next }
/^Bail out!/ { emit(); print "fail", prefix "/" fs "/bail-out # " $0; next }
/^#  RUN / { emit(); inrun = 1; pending = ""; next }
/^#/ { note($0); next }
/^(not )?ok [0-9]+ / {
	emit()
	verdict = ($1 == "not") ? "fail" : "pass"
	name = ($1 == "not") ? $4 : $3
	why = ""
	if (match($0, /# SKIP.*/)) {
		verdict = "skip"
		why = " # " substr($0, RSTART + 7)
	}
	held = verdict " " prefix "/" fs "/" name why
	fails = verdict == "fail"; before = pending; after = ""
	held_ran = inrun; inrun = 0; pending = ""
	next
}
END { emit() }' "$1"
