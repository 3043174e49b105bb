#!/bin/bash
# The reliability report (issue #4): the figures of the last suite runs,
# read from their TAP and console logs in build/rig/LABEL-RUN/.  Prints
# Markdown: the random poison campaign (patterns, bad sectors, bytes
# lost and leaked), the races, the bad-input and mutation runs, the
# faults (device removal, machine checks, clears that fail) and the
# splats found in the console logs.
# Usage: scripts/reliability-report.sh LABEL...   (e.g. patched debug)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: $0 LABEL..."
logs=()
for label in "$@"; do
	for d in "$rigs/$label"-*; do
		[ -f "$d/tap.log" ] && logs+=("$d/tap.log")
	done
done
[ ${#logs[@]} -gt 0 ] || die "no rig logs for $* in $rigs"

echo "# Reliability report"
echo
echo "Kernels: $*; $(date -u +%Y-%m-%d); $(git -C "$tree" describe --always HEAD 2>/dev/null || echo '?') on $(git -C "$tree" log -1 --format=%s base 2>/dev/null || echo '?')."
echo

# The campaign prints three "# campaign:" lines per run of dax_campaign,
# and a fourth where it shared blocks (xfs reflink=1).
awk '
FNR == 1 { run = FILENAME; sub(/\/tap\.log$/, "", run); sub(/.*\//, "", run); fs = "" }
/^# dax-fs: / { fs = $3 }
/^# campaign: seeds/ {
	gsub(/[(),]/, "")
	key = run " " fs; keys[++n] = key
	seeds[key] = $4; patterns[key] = $9; bad[key] = $13
	# The same seed on another stacking or kernel replays a pattern.
	for (s = $6; s < $6 + $4; s++) if (!(s in seen)) { seen[s]; distinct++ }
}
/^# campaign: salvage:/ {
	gsub(/,/, "")
	key = run " " fs
	reads[key] = $4; expected[key] = $10; returned[key] = $12; wrong[key] = $17
	smis[key] = $19
}
/^# campaign: repair:/ {
	gsub(/,/, "")
	key = run " " fs
	repairs[key] = $4; refused[key] = $6; rmis[key] = $11
}
/^# campaign: reflink:/ {
	key = run " " fs
	shared[key] = $4; cow[key] = $7
}
END {
	print "## Random poison campaign (dax_campaign)"
	print ""
	print "| run | fs | seeds | patterns | bad sectors | flagged reads | good bytes expected | returned | lost | wrongly returned | repairs | refused (EIO) | shared patterns | blocks copied on write | mismatches |"
	print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		k = keys[i]; split(k, p, " ")
		lost = expected[k] - returned[k]
		mis = smis[k] + rmis[k]
		printf "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n",
			p[1], p[2], seeds[k], patterns[k], bad[k], reads[k], expected[k],
			returned[k], lost, wrong[k], repairs[k], refused[k], shared[k],
			cow[k], mis
		T[1] += seeds[k]; T[2] += patterns[k]; T[3] += bad[k]; T[4] += reads[k]
		T[5] += expected[k]; T[6] += returned[k]; T[7] += lost; T[8] += wrong[k]
		T[9] += repairs[k]; T[10] += refused[k]; T[11] += mis
		T[12] += shared[k]; T[13] += cow[k]
	}
	printf "| **all** | | %d | %d | %d | %d | %d | %d | **%d** | **%d** | %d | %d | %d | %d | **%d** |\n\n",
		T[1], T[2], T[3], T[4], T[5], T[6], T[7], T[8], T[9], T[10], T[12],
		T[13], T[11]
	printf "Distinct seeds: %d; the other %d seed runs replay the poison patterns of one of them on another stacking or kernel.\n\n",
		distinct, T[1] - distinct
}' "${logs[@]}"

# Tests by group: pass/fail/skip counts per test name regex (RUN: run regex).
results() {	# results REGEX...: "pass fail skip" over the matching tests
	local log run
	for log in "${logs[@]}"; do
		run=${log%/tap.log}; run=${run##*/}
		[[ $run =~ ${RUN:-.} ]] || continue
		"$top/rig/tap-results.sh" "$log" "$run"
	done | awk -v globs="$*" '
		BEGIN { n = split(globs, g, " ") }
		{ name = $2; sub(/.*\//, "", name)
		  for (i = 1; i <= n; i++) if (name ~ g[i]) { c[$1]++; break } }
		END { printf "%d passed, %d failed, %d skipped\n", c["pass"], c["fail"], c["skip"] }'
}

echo "## Races (dax_races)"
echo
echo "dax_race.*: $(results '^dax_race\.')."
echo
# "# dax_races.c:LINE:TEST:I of N iterations, other thread: O operations,
#  F failed as allowed", then "# dax_races.c:LINE:TEST:V iterations overlapped"
cat "${logs[@]}" | awk -F: '
/^# dax_races\.c:[0-9]+:[a-z_]+:[0-9]+ of [0-9]+ iterations/ {
	split($4, w, " "); split($5, o, " ")
	if (!(($3) in runs)) order[++n] = $3
	runs[$3]++; iters[$3] += w[1]; ops[$3] += o[1]; allowed[$3] += o[3]
}
/^# dax_races\.c:[0-9]+:[a-z_]+:[0-9]+ iterations overlapped/ {
	split($4, v, " "); overlapped[$3] += v[1]
}
END {
	print "| race | runs | iterations | overlapped | other thread: operations | failed as allowed |"
	print "|---|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++)
		printf "| %s | %d | %d | %d | %d | %d |\n", order[i], runs[order[i]],
			iters[order[i]], overlapped[order[i]], ops[order[i]], allowed[order[i]]
}'
echo
echo "## Permissions and bad input (dax_security)"
echo
echo "dax_security.*: $(results '^dax_security\.'); random syscall mutation (dax_mutation.*): $(results '^dax_mutation\.')."
cat "${logs[@]}" | awk '
/random_calls:[0-9]+ calls over [0-9]+ descriptor kinds/ {
	sub(/.*random_calls:/, ""); runs++; calls += $1; refused += $7; wrong += $(NF - 1)
	if ($4 > kinds) kinds = $4
}
END {
	printf "Mutation: %d runs, %d calls (each made flagged and unflagged) over %d descriptor kinds (at most), %d refused with EOPNOTSUPP where the unflagged call worked, %d wrong.\n",
		runs, calls, kinds, refused, wrong
}'
echo
echo "## Faults"
echo
echo "- device removed under flagged I/O (unplug.*): $(results '^unplug\.')"
echo "- clear-poison fails (the NFIT rig, W4; not nfit_test, which clears), flagged writes over poison (recovery_write*): $(RUN='-nfit-(ext4|xfs|xfs-reflink)$' results '^poisoned_file\.recovery_write')"
echo "- machine checks through the QEMU monitor, then salvage and repair (mce.*): $(results '^mce\.')"
echo "- persistence across remount and reboot (persist.*): $(results '^persist\.')"
echo "- a full bad-block table refuses a repair, whose bytes must not land (W4, full_table.*): $(results '^full_table\.')"
echo "- nfit_test: ndctl inject-error, scrub, salvage, repair (nfit_test.*): $(results '^nfit_test\.')"
echo

echo "## Mutants"
echo
verdicts=$build/mutants$suffix/verdicts
if [ -f "$verdicts" ]; then
	echo "Mutation score of the last scripts/mutants.sh run: $(grep -c '^pass mutant/' "$verdicts") of $(grep -v ' mutant/control ' "$verdicts" | grep -c '^[a-z]* mutant/') wrong implementations killed ($(grep -c '^mutant ' "$top/tests/mutants") in tests/mutants)."
else
	echo "No scripts/mutants.sh run in $build/mutants$suffix."
fi
echo

echo "## Splats"
echo
consoles=0 splats=0
for log in "${logs[@]}"; do
	c=${log%tap.log}console.log
	[ -f "$c" ] || continue
	consoles=$((consoles + 1))
	if grep -q -E -f "$top/rig/splat-patterns" "$c"; then
		splats=$((splats + 1))
		echo "- splat in $c: $(grep -E -f "$top/rig/splat-patterns" "$c" | head -1)"
	fi
done
echo "$consoles console logs scanned (KASAN, lockdep, UBSAN, DEBUG_VM on the debug kernel), $splats with a splat."
