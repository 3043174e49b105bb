#!/bin/bash
# Judge a run's results (ids without the base) against what must run on
# RWF_BASE, for each LABEL given: every test of tests/inventory ran, none ran that it does not list, none ran
# twice, and every skip is one of tests/expected-skips (or
# tests/expected-skips.BASE), for its reason.
# Prints "fail ID (why)" for each breach, and "pass inventory/LABEL" for a
# LABEL without any.  Regenerate the inventory after a good run that adds
# or removes tests with scripts/inventory.sh.
# Usage: scripts/check-inventory.sh RESULTS LABEL...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=$1; shift
inventory=$top/tests/inventory
export LC_ALL=C		# one collation for sort and comm

# The test ids of a label that ran, boots left out, and that must run.
ran() { sed -n "s|^[a-z]* \($1/[^ ]*\).*|\1|p" "$results" | grep -v '/boot$' || true; }
wanted() { sed -n "s|^$base/\($1/\)|\1|p" "$inventory" | sort; }

# The skips on record, read once: a run has hundreds of skips to judge.
mapfile -t expected_skips < <(cat "$top/tests/expected-skips" \
	"$top/tests/expected-skips.$base" 2>/dev/null | grep -v '^[[:space:]]*\(#\|$\)')

expected_skip() {	# expected_skip ID REASON
	local line glob why
	for line in "${expected_skips[@]}"; do
		glob=${line%% # *} why=${line#* # }
		# shellcheck disable=SC2254
		case $1 in $glob) [[ $2 == "$why"* ]] && return 0 ;; esac
	done
	return 1
}

judge() {	# judge LABEL: the breaches, one "fail" line each
	local label=$1 id reason
	comm -23 <(wanted "$label") <(ran "$label" | sort -u) |
		sed 's|$| (in tests/inventory, did not run)|; s|^|fail |'
	comm -13 <(wanted "$label") <(ran "$label" | sort -u) |
		sed 's|$| (ran, not in tests/inventory)|; s|^|fail |'
	ran "$label" | sort | uniq -d | sed 's|$| (reported twice)|; s|^|fail |'
	{ grep "^skip $label/" "$results" || true; } | while read -r _ id _ reason; do
		expected_skip "$id" "$reason" || echo "fail $id (unexpected skip: $reason)"
	done
}

for label; do
	breaches=$(judge "$label")
	if [ -n "$breaches" ]; then echo "$breaches"
	else echo "pass inventory/$label ($(wanted "$label" | wc -l) tests)"; fi
done
