#!/bin/bash
# Write tests/inventory, the test ids that must run, from the results of
# a good run of make check (build/check-results by default).  Run it when
# a change adds, removes or renames tests, and commit what it changed.
# Usage: scripts/inventory.sh [RESULTS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

results=${1:-$build/check-results}
{
	echo "# The tests that must run: LABEL/RUN/FS/fixture.test, written by"
	echo "# scripts/inventory.sh from a run of make check and judged by"
	echo "# scripts/check-inventory.sh."
	sed -n -E 's,^[a-z]+ ((patched|debug|base)/[^ ]*).*,\1,p' "$results" |
		grep -v '/boot$' | LC_ALL=C sort -u
} > "$top/tests/inventory"
