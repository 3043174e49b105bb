#!/bin/bash
# Write SRC/$KOBJ/.config (KOBJ defaults to .obj): tinyconfig +
# configs/rig.config + our kselftest config fragment + any fragments given
# as arguments.  The same fragments are used for the base and the patched
# kernel so that A/B runs compare code, not configs.  Does nothing when the
# fragments did not change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$1; shift
obj=$src/${KOBJ:-.obj}
frags=("$top/configs/rig.config")
[ -f "$tree/$selftest_dir/config" ] && frags+=("$tree/$selftest_dir/config")
frags+=("$@")

stamp=$(cat "${frags[@]}" | sha1sum | cut -d' ' -f1)
[ -f "$obj/.config" ] && [ "$(cat "$obj/.rig-config" 2>/dev/null)" = "$stamp" ] && exit 0

mkdir -p "$obj"
kmake "$src" -s ARCH=x86_64 tinyconfig
# merge_config.sh leaves a temporary file in its working directory.
(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O . .config "${frags[@]}" >/dev/null)
kmake "$src" -s ARCH=x86_64 olddefconfig

# Every option we asked for (the last fragment that names it wins) must
# have survived the dependency resolution.
wanted() {
	cat "$@" | sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=.*/\1 &/p; s/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1 &/p' |
		awk '{ name = $1; sub(/^[^ ]* /, ""); last[name] = $0 } END { for (n in last) print last[n] }'
}
lost=$(wanted "${frags[@]}" | grep -vxF -f "$obj/.config" || true)
[ -z "$lost" ] || die "options lost in $obj/.config: $(echo $lost)"
echo "$stamp" > "$obj/.rig-config"
