#!/bin/bash
# The main job: build the patched kernel and the rig, boot it with legacy
# pmem, damage a file and print what happens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/tree.sh"
kernel=$("$top/scripts/kernel.sh" patched)
"$top/rig/initramfs.sh" "$rigs/initramfs.cpio.gz"
out=$rigs/demo
"$top/rig/run.sh" --no-tap --out "$out" --timeout 180 "$kernel" "$top/rig/jobs/demo.sh"
echo
cat "$out/tap.log"
