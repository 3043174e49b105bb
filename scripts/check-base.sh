#!/bin/bash
# make check for one base (RWF_BASE, see lib.sh), run by scripts/check.sh:
# check the series (applies, checkpatch, bisectable build), build the
# kernels of $check_kernels (patched, base, and debug where listed), run
# the kselftest suite on them on every rig, judge the base run against
# tests/expected-base-failures (and tests/expected-base-failures.BASE),
# check the inventory and kill two mutants.  Prints "pass|fail|skip ID"
# lines, ids without the base.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=$build/check-results-$base
mkdir -p "$build"
: > "$results"

# Each step says when it starts, in minutes since make check started.
step() { say "== $* (at $(minutes_spent) min)"; timing "$(minutes_spent) min: $*"; }
# Minutes since make check started (scripts/check.sh sets CHECK_START).
minutes_spent() { echo $(( ($(date +%s) - ${CHECK_START:-$(date +%s)}) / 60 )); }

step "tree: the source package, unpacked and committed, the series applied"
"$top/scripts/tree.sh"

# The base kernel, copied where its suite boots it.
base_image=$rigs/base-bzImage
build_base_kernel() {
	local image
	image=$("$top/scripts/kernel.sh" base)	# ($base is the base's name)
	mkdir -p "$rigs" && cp "$image" "$base_image"
}

# The kernels first: they fill ccache for the per-patch builds, the base
# kernel's objects those of the patches before the first that changes a
# common header.  Without per-patch builds the base kernel waits for its
# A/B run below.
step "kernels"
kernels_start=$(date +%s)
patched=$("$top/scripts/kernel.sh" patched)
rm -f "$base_image"
[ "$check_bisect" != 1 ] || build_base_kernel

step "series: apply, checkpatch, build each patch"
# The per-patch builds need the ccache of earlier runs: from a cold cache
# each patch that changes a common header rebuilds the kernel from
# scratch.  Kernels that took CHECK_BISECT_BY minutes (default 10; about
# 1 with a warm cache, 20 to 37 with a cold one on 7.3) say the cache is
# cold: the per-patch builds are skipped then, and so is the debug kernel
# (below).
kernel_minutes=$(( ($(date +%s) - kernels_start) / 60 ))
cold_cache=
if [ "$kernel_minutes" -ge "${CHECK_BISECT_BY:-10}" ]; then
	cold_cache="the kernels took $kernel_minutes minutes (cold ccache)"
	say "per-patch builds skipped: $cold_cache"
	check_bisect=0
fi
CHECK_BISECT=$check_bisect "$top/scripts/check-series.sh" | tee -a "$results"
"$top/scripts/check-man.sh" | tee -a "$results"
"$top/rig/initramfs.sh" "$rigs/initramfs.cpio.gz"

step "suite on the patched kernel"
"$top/scripts/check-suite.sh" patched "$patched" | tee -a "$results"

# On base, a test of new behaviour must fail, for the reason on record if
# tests/expected-base-failures(.BASE) gives one, and every other test
# pass; tests/untrusted-on-base.BASE lists those whose base verdict a bug
# of that kernel makes random, reported as skipped.
# The entries of FILE..., comments and blank lines left out.
entries() { cat "$@" 2>/dev/null | grep -v '^[[:space:]]*\(#\|$\)' || true; }
mapfile -t expected_failures < <(entries "$top/tests/expected-base-failures" \
	"$top/tests/expected-base-failures.$base")
mapfile -t untrusted_tests < <(entries "$top/tests/untrusted-on-base.$base")
# listed ID ENTRY...: set line to the first entry whose glob (what comes
# before " # ") matches ID, or to nothing.  No subshell and no command per test: the
# base run has a thousand results to judge.
listed() {
	local id=$1 glob
	shift
	for line; do
		glob=${line%% # *}
		# shellcheck disable=SC2254
		case $id in $glob) return 0 ;; esac
	done
	line=
	return 1
}
# The A/B run of a base without per-patch builds (the 6.12 backport)
# starts only while the run is within CHECK_AB_BY minutes (default 50) of
# its start: from a cold cache its base kernel alone takes 13 minutes on
# top of some 70 spent, which CI's 90 minutes cannot hold.
ab_run() {
	step "suite on the base kernel (A/B)"
	[ -f "$base_image" ] || build_base_kernel
	"$top/scripts/check-suite.sh" base "$base_image" | judge_base_run
}
judge_base_run() {
	local verdict id rest line reason
	while read -r verdict id rest; do
		if [[ $id != */boot ]] &&
		   listed "${id#base/}" "${untrusted_tests[@]}"; then
			echo "skip $id # ${line#* # }"
		elif [ "$verdict" = skip ] ||
		   ! listed "${id#base/}" "${expected_failures[@]}"; then
			echo "$verdict $id${rest:+ $rest}"
		elif [ "$verdict" = pass ]; then
			echo "fail $id (passes on base: the test proves nothing)"
		elif [[ $line == *" # "* ]] && reason=${line#* # } &&
		     ! [[ $rest =~ $reason ]]; then
			echo "fail $id (fails on base, not for the reason on record: ${rest#\# })"
		else
			echo "pass $id (fails on base, as expected)"
		fi
	done
}
kernels=(patched)
spent=$(minutes_spent)
if [ -f "$base_image" ] || [ "$spent" -lt "${CHECK_AB_BY:-50}" ]; then
	ab_run | tee -a "$results"
	kernels+=(base)
else
	echo "skip base/suite # not run: $spent minutes spent, more than CHECK_AB_BY=${CHECK_AB_BY:-50}" |
		tee -a "$results"
fi

# The debug kernel (KASAN, lockdep, UBSAN...; nvdimm as modules) runs the
# suite again, and the nfit_test rig, which needs modules.  It runs some
# five times slower, so it runs what reaches code the patched kernel's
# runs do not already cover on a plain xfs or through dm-linear: ext4 and
# xfs with reflink (a superset of plain xfs's tests) on every rig but
# legacy-dm, a campaign of 16 seeds and 10 namespace removals per file
# system (the patched kernels hunt the removal race with 40; here each
# removal path runs under KASAN and lockdep), with a longer timeout.  It
# comes last, and only when the cache was warm for the other kernels and
# the run is within CHECK_DEBUG_BY minutes (default 35) of its start:
# from a cold cache the debug kernel's build alone takes 25, which CI's
# 90 minutes for both bases cannot hold (a cold run that started it at
# minute 31 was on course for 95).
debug_run() {
	step "suite on the debug kernel"
	debug=$("$top/scripts/kernel.sh" debug)
	"$top/rig/modules.sh" "$rigs/modules-debug.cpio.gz"
	cat "$rigs/initramfs.cpio.gz" "$rigs/modules-debug.cpio.gz" \
		> "$rigs/initramfs-debug.cpio.gz"
	RIGS=${DEBUG_RIGS:-legacy nfit mce nfit-test unplug} \
		RIG_FS=ext4,xfs-reflink RIG_TIMEOUT=900 \
		DAX_CAMPAIGN_SEEDS=16 UNPLUG_CYCLES=10 \
		"$top/scripts/check-suite.sh" debug "$debug" \
		"$rigs/initramfs-debug.cpio.gz" | tee -a "$results"
}
debug=
if [[ " $check_kernels " == *" debug "* ]]; then
	spent=$(minutes_spent)
	if [ -n "$cold_cache" ]; then
		echo "skip debug/suite # not run: $cold_cache" | tee -a "$results"
	elif [ "$spent" -lt "${CHECK_DEBUG_BY:-35}" ]; then
		debug_run
		kernels+=(debug)
	else
		echo "skip debug/suite # not run: $spent minutes spent, more than CHECK_DEBUG_BY=${CHECK_DEBUG_BY:-35}" |
			tee -a "$results"
	fi
fi

# Every test that must run did, on each kernel, and none skipped for a
# reason not on record: a run that lost tests (a file system that could
# not be made, a rig that broke under them) proves nothing.
step "inventory: tests/inventory and tests/expected-skips"
"$top/scripts/check-inventory.sh" "$results" "${kernels[@]}" | tee -a "$results"

# Every mutant's change must still match the series, and two wrong
# implementations, chosen by the commit id, must be killed by their
# tests: the harness of make mutants keeps working.
step "mutants (two of tests/mutants)"
MUTANTS_MATCH=1 "$top/scripts/mutants.sh" | tee -a "$results"
MUTANTS_PICK=2 "$top/scripts/mutants.sh" | tee -a "$results"

# The figures of issue #4 from this run's logs (also in build/).
"$top/scripts/reliability-report.sh" patched ${debug:+debug} | tee "$build/reliability-report$suffix.md" || true
