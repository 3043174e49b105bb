#!/bin/bash
# The project's test command: for each base of RWF_BASES (default "7.3
# 6.12"), check its series (applies, checkpatch, bisectable build), build
# its kernels (lib.sh's check_kernels: patched, debug and base on 7.3,
# patched and base on 6.12), run the kselftest suite on them on every
# rig, judge the base run against tests/expected-base-failures, check the
# inventory and kill two mutants.  Test ids start with the base
# ("7.3/patched/legacy/ext4/...").  Ends with "N passed, N failed,
# N skipped".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=$build/check-results
mkdir -p "$build"
: > "$results"
: > "$build/check-timeline"

# When the run started, for the time budget of check-base.sh's debug step.
export CHECK_START=${CHECK_START:-$(date +%s)}

for b in ${RWF_BASES:-7.3 6.12}; do
	start=$(date +%s)
	RWF_BASE=$b "$top/scripts/check-base.sh" |
		sed -E "s#^(pass|fail|skip) #&$b/#" | tee -a "$results"
	say "base $b took $(( ($(date +%s) - start) / 60 )) minutes"
	base=$b timing "took $(( ($(date +%s) - start) / 60 )) minutes"
done

# Where the time went: the steps, and the ten slowest guest boots.
{ grep -v ': boot ' "$build/check-timeline"
  grep ': boot ' "$build/check-timeline" | sort -t: -k3 -rn | head -10
} | sed 's/^/timeline: /' >&2
grep "^fail" "$results" >&2 || true
printf '%d passed, %d failed, %d skipped\n' \
	"$(grep -c '^pass' "$results")" "$(grep -c '^fail' "$results")" \
	"$(grep -c '^skip' "$results")"
! grep -q '^fail' "$results"
