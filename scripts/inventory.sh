#!/bin/bash
# Write tests/inventory, the test ids that must run, from the results of
# a good run of make check (build/check-results by default).  Run it when
# a change adds, removes or renames tests, and commit what it changed.
# The entries of a base the run did not cover are kept.
# Usage: scripts/inventory.sh [RESULTS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=${1:-$build/check-results}
inventory=$top/tests/inventory
ids() {
	sed -n -E 's,^[a-z]+ ([0-9.]+/(patched|debug|base)/[^ ]*).*,\1,p' "$results" |
		grep -v '/boot$'
}
ran_bases=$(ids | cut -d/ -f1 | sort -u | paste -sd'|')
[ -n "$ran_bases" ] || die "no test ids in $results"
kept=$(grep -v '^#' "$inventory" | grep -vE "^($ran_bases)/" || true)
{
	echo "# The tests that must run: BASE/LABEL/RUN/FS/fixture.test, written by"
	echo "# scripts/inventory.sh from a run of make check and judged by"
	echo "# scripts/check-inventory.sh."
	{ ids; [ -z "$kept" ] || echo "$kept"; } | LC_ALL=C sort -u
} > "$inventory.new"
mv "$inventory.new" "$inventory"
