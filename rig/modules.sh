#!/bin/bash
# Build the modules archive of the debug kernel (scripts/kernel.sh debug):
# its nvdimm modules in /lib/modules/VERSION, where rig/init loads them
# for the legacy and NFIT rigs, and the nfit_test copies of the same
# modules (tools/testing/nvdimm) in /lib/nfit_test, out of modprobe's
# sight, for rig/jobs/nfit-test.sh to insmod.  Appended to the initramfs.
# Usage: rig/modules.sh OUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"

out=$1
export KOBJ=.obj-debug
stage=$rigs/modules

rm -rf "$stage"
kmake "$tree" -s INSTALL_MOD_PATH="$stage" modules_install >/dev/null
mkdir -p "$stage/lib/nfit_test"
find "$tree/tools/testing/nvdimm" -name '*.ko' -exec cp {} "$stage/lib/nfit_test/" \;
[ -f "$stage/lib/nfit_test/nfit_test.ko" ] || die "no nfit_test modules: run scripts/kernel.sh debug"
rm -f "$stage"/lib/modules/*/build "$stage"/lib/modules/*/source

# gen_init_cpio wants every directory listed before what it holds.
(cd "$stage" && find . -mindepth 1 | sort | while read -r p; do
	p=${p#.}
	if [ -d "$stage$p" ]; then echo "dir $p 755 0 0"
	else echo "file $p $stage$p 644 0 0"; fi
done) > "$rigs/modules.list"
"$tree/.obj/usr/gen_init_cpio" "$rigs/modules.list" | gzip -n -1 > "$out"
