#!/bin/bash
# Check that a TAP log holds at least one stream and that every stream
# ("TAP version" line) has a plan and as many results as it planned.
exec awk '
function close_stream() {
	if (!open) return
	if (plan < 0) { printf "stream %d: no plan\n", streams; bad = 1 }
	else if (results != plan) {
		printf "stream %d: planned %d, got %d results\n", streams, plan, results
		bad = 1
	}
	open = 0
}
/^TAP version/ { close_stream(); streams++; open = 1; plan = -1; results = 0; next }
open && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
open && /^(not )?ok [0-9]+/ { results++ }
END {
	close_stream()
	if (!streams) { print "no TAP stream"; bad = 1 }
	exit bad
}' "$1"
