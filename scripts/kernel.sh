#!/bin/bash
# Build a kernel for the rig and print its bzImage path:
#   patched  build/linux, the series
#   base     build/linux-base, the Debian tree without it
#   debug    the series with configs/debug.config and the nvdimm stack as
#            modules (configs/modules.config), in build/linux/.obj-debug,
#            plus tools/testing/nvdimm (nfit_test) as external modules
# Extra arguments are config fragments merged on top.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:-patched}; shift || true
frags=() targets=(bzImage)
case $variant in
patched) src=$tree ;;
base)	 ensure_base_tree; src=$base_tree ;;
debug)	 src=$tree; export KOBJ=.obj-debug; targets+=(modules)
	 frags=("$top/configs/modules.config" "$top/configs/debug.config") ;;
*)	 die "usage: $0 patched|base|debug [FRAGMENT...]" ;;
esac

"$top/scripts/kconfig.sh" "$src" "${frags[@]}" "$@"
log=$src/${KOBJ:-.obj}/build.log
start=$SECONDS
build() { kmake "$src" "$@" >> "$log" 2>&1 || { tail -40 "$log" >&2; die "$variant kernel build failed (log: $log)"; }; }
: > "$log"
build "${targets[@]}"
[ $variant != debug ] || build M="$src/tools/testing/nvdimm" modules
say "$variant kernel built in $((SECONDS - start)) s"
timing "$variant kernel built in $((SECONDS - start)) s"
echo "$src/${KOBJ:-.obj}/arch/x86/boot/bzImage"
