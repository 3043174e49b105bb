#!/bin/bash
# Build a kernel for the rig: "patched" (build/linux, the series) or "base"
# (build/linux-base, the Debian tree without it).  Prints the bzImage path.
# Extra arguments are config fragments merged on top (e.g. a debug config).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:-patched}; shift || true
case $variant in
patched) src=$tree ;;
base)	 ensure_base_tree; src=$base_tree ;;
*)	 die "usage: $0 patched|base [FRAGMENT...]" ;;
esac

"$top/scripts/kconfig.sh" "$src" "$@"
log=$src/.obj/build.log
start=$SECONDS
kmake "$src" bzImage > "$log" 2>&1 || { tail -40 "$log" >&2; die "$variant kernel build failed (log: $log)"; }
say "$variant kernel built in $((SECONDS - start)) s"
echo "$src/.obj/arch/x86/boot/bzImage"
