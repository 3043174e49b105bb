#!/bin/bash
# Install the Debian packages the build, the rig and the checks need,
# if any are missing.  Idempotent and quiet when there is nothing to do.
set -euo pipefail

pkgs=(
	linux-source-6.12			# the base
	build-essential flex bison bc libelf-dev libssl-dev cpio kmod
	xz-utils ccache git perl python3 sparse rsync	# kernel build and checks
	qemu-system-x86 socat			# the rig
	busybox-static e2fsprogs xfsprogs ndctl dmsetup fdisk	# guest userspace
	liburing-dev libaio-dev			# static test binaries
	man-db groff-base manpages-dev		# scripts/check-man.sh
	python3-ply python3-git			# checkpatch.pl's spdxcheck.py
	gnuplot-nox				# the benchmark's plot
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
