# RWF_RECOVERY_DATA: the patch series, its rig and its checks.
# Every target installs what it needs on a Debian 12 machine (as root).

.PHONY: demo check mutants inventory bench bench-tcg bench-paths bench-blk tree export kernel base-kernel initramfs clean

demo:			## build the patched kernel, boot the rig, show a damaged file
	scripts/demo.sh

check:			## the test command: series checks + suite on patched and base
	scripts/check.sh

mutants: tree		## every wrong implementation of tests/mutants, killed by its test
	scripts/mutants.sh

inventory:		## tests/inventory from the last make check (after adding tests)
	scripts/inventory.sh

bench: bench-paths bench-blk	## the instruction counts of issue #16, RWF_BASE's series -> docs/benchmark-{paths,blk}-*

bench-tcg:		## base vs patched under plain TCG, wall clock: salvage, repair, hot path, scan -> docs/benchmark-*
	scripts/bench.sh

bench-paths:		## base vs patched, flagged vs not: instructions per call (icount)
	scripts/bench-paths.sh

bench-blk:		## block devices: flagged vs plain reads, flagged vs ddrescue salvage (icount)
	scripts/bench-blk.sh

tree:			## build/linux = Debian base + patches/ (git am)
	scripts/tree.sh

export:			## commits on top of base -> patches/
	scripts/export.sh

kernel: tree		## build the patched kernel
	scripts/kernel.sh patched

base-kernel: tree	## build the unpatched Debian kernel
	scripts/kernel.sh base

initramfs: tree		## the rig's guest userspace
	rig/initramfs.sh build/rig/initramfs.cpio.gz

clean:			## remove build outputs (not the kernel tree)
	rm -rf build/rig build/linux/.obj build/linux-base/.obj
