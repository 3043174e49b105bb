#!/bin/bash
# Kill the mutants of tests/mutants: build each wrong implementation into
# the patched tree, boot the test run that must kill it, and print
# "pass mutant/NAME (killed: ...)" or "fail mutant/NAME (survived)".
# First each kill run must pass on the series itself ("control"), or it
# could kill anything.  The tree's files are restored on exit and the
# last mutant's image is deleted; the next build of the patched kernel
# rebuilds them.
#
# Usage: scripts/mutants.sh [NAME...]   (default: all)
#   MUTANTS_PICK=N   run N mutants chosen by the commit id (make check),
#                    none of a header
#   MUTANTS_MATCH=1  only check that every change still matches its file
set -euo pipefail
. "$(dirname "$0")/lib.sh"

list=$top/tests/mutants
out=$build/mutants$suffix
kernel=$tree/.obj/arch/x86/boot/bzImage
declare -A file from to kill
names=()

# Parse the list; "\n" and "\t" in from/to are a newline and a tab.  A
# "from@BASE"/"to@BASE" line, after the plain one, replaces it on BASE.
while read -r key rest; do
	case $key in
	mutant)	name=$rest; names+=("$name") ;;
	file)	file[$name]=$rest ;;
	from|"from@$base")	from[$name]=$(printf '%b' "$rest") ;;
	to|"to@$base")		to[$name]=$(printf '%b' "$rest") ;;
	kill)	kill[$name]=$rest ;;
	bases)	[[ " $rest " == *" $base "* ]] || unset 'names[-1]' ;;
	esac
done < <(grep -v '^[[:space:]]*\(#\|$\)' "$list")

# MUTANTS_MATCH=1: only check that each change still matches its file
# exactly once (a series that moved under a mutant makes it a no-op that
# make check's two picks may not meet for weeks); nothing is built.
if [ -n "${MUTANTS_MATCH:-}" ]; then
	stale=0
	for name in "${names[@]}"; do
		n=$(FROM=${from[$name]} perl -0ne 'print scalar(() = /\Q$ENV{FROM}\E/g)' \
			"$tree/${file[$name]}")
		[ "$n" = 1 ] || { echo "fail mutant/$name (its change matches $n times)"; stale=1; }
	done
	[ $stale = 1 ] || echo "pass mutants/match (${#names[@]} mutants)"
	exit 0
fi

# pick N: N names, a stride through the list from the commit id.  Not
# those of headers: a changed header rebuilds most of the kernel.
pick() {
	local n=$1 i seed cheap=()
	for name in "${names[@]}"; do
		[[ ${file[$name]} == *.h ]] || cheap+=("$name")
	done
	seed=$(( 0x$(git -C "$top" rev-parse --short=7 HEAD) ))
	for ((i = 0; i < n; i++)); do
		echo "${cheap[(seed + i * 7) % ${#cheap[@]}]}"
	done | sort -u
}

if [ -n "${MUTANTS_PICK:-}" ]; then
	mapfile -t chosen < <(pick "$MUTANTS_PICK")
elif [ $# -gt 0 ]; then
	chosen=("$@")
else
	chosen=("${names[@]}")
fi

# The source goes back, and the mutant's image goes: a boot of it after
# the run would pass for the series (scripts/kernel.sh makes it again).
restore() { git -C "$tree" checkout -q -- "${file[@]}"; rm -f "$kernel"; }
trap restore EXIT
git -C "$tree" diff --quiet -- "${file[@]}" || die "$tree has changes in mutated files"

mutate() {	# mutate NAME: the one change, which must match exactly once
	FROM=${from[$1]} TO=${to[$1]} perl -0pi -e \
		'$n = s/\Q$ENV{FROM}\E/$ENV{TO}/g; die "matched $n times\n" if $n != 1' \
		"$tree/${file[$1]}"
}

# Did every test named in MUST=NAME,... of a kill spec pass (not skip)?
# Without MUST, did no test skip?
ran_whole() {	# ran_whole TAPLOG VAR=VALUE...
	local tap=$1 must t
	shift
	must=$(printf '%s\n' "$@" | sed -n 's/^MUST=//p' | tr , ' ')
	[ -n "$must" ] || ! grep -q '^ok .* # SKIP' "$tap" || return 1
	for t in $must; do grep -q "^ok [0-9]* $t\$" "$tap" || return 1; done
}

# boot DIR RIG JOB VAR=VALUE...: the kill run.  Prints "clean", "failed"
# (a test failed, or the run did), "skipped" (a test that matters did
# not run, which proves nothing either way) or "empty" (no test ran: a
# misspelt name).
boot() {
	local dir=$1 rig=$2 job=$3 envs=() v
	shift 3
	for v in "$@"; do envs+=(--env "$v"); done
	if ! "$top/rig/run.sh" --rig "$rig" --out "$dir" --timeout "${RIG_TIMEOUT:-300}" \
		"${envs[@]}" "$kernel" "$top/rig/jobs/$job" > "$dir.log" 2>&1 ||
	   grep -q '^not ok \|^Bail out!' "$dir/tap.log"; then
		echo failed
	elif ! grep -q '^ok ' "$dir/tap.log"; then
		echo empty
	elif ! ran_whole "$dir/tap.log" "$@"; then
		echo skipped
	else
		echo clean
	fi
}

# What killed it: the failed tests, or the run's own complaint.
verdict() {
	{ grep -o '^not ok [0-9]* [^ ]*' "$1/tap.log" 2>/dev/null || true; } |
		cut -d' ' -f4 | sort -u | head -3 | paste -sd,
	grep -o 'timed out.*\|kernel splat.*\|the job did not finish' "$1.log" | head -1 | cut -c1-80 || true
}

mkdir -p "$out"
exec > >(tee "$out/verdicts")	# for scripts/reliability-report.sh
"$top/scripts/kernel.sh" patched > /dev/null
[ -f "$rigs/initramfs.cpio.gz" ] || "$top/rig/initramfs.sh" "$rigs/initramfs.cpio.gz"

declare -A control=()
runs=0
for name in "${chosen[@]}"; do
	[ -n "${kill[$name]:-}" ] || die "no mutant $name in $list"
	spec=${kill[$name]}
	[ -z "${control[$spec]:-}" ] || continue
	runs=$((runs + 1))
	# shellcheck disable=SC2086 # a kill spec is a list of words
	control[$spec]=$(boot "$out/control-$runs" $spec)
	[ "${control[$spec]}" = clean ] ||
		echo "fail mutant/control ($spec: ${control[$spec]} on the series)"
done

for name in "${chosen[@]}"; do
	[ "${control[${kill[$name]}]}" = clean ] || continue
	dir=$out/$name
	if ! mutate "$name" || ! "$top/scripts/kernel.sh" patched > "$dir.build.log" 2>&1; then
		echo "fail mutant/$name (does not apply or build: $dir.build.log)"
	else
		# shellcheck disable=SC2086
		case $(boot "$dir" ${kill[$name]}) in
		failed)	 echo "pass mutant/$name (killed: $(verdict "$dir" | paste -sd' '))" ;;
		skipped) echo "fail mutant/$name (a test skipped: ${kill[$name]})" ;;
		*)	 echo "fail mutant/$name (survived ${kill[$name]})" ;;
		esac
	fi
	restore
done
