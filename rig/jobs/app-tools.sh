# The tools for application authors on a damaged file: pmem-recover (scan,
# salvage, repair) and the samples/dax/dax-sigbus-repair sample, on each
# file system in RIG_FS (ext4,xfs) mounted with -o dax on the legacy rig.
# Each gets a 1 MiB file, a replica on tmpfs, and poison in three places:
# the first sector, an isolated sector (19), and a run of three sectors
# (54-56) that crosses the boundary of pages 6 and 7.
. /jobs/fsdax-namespace.sh
. /jobs/dax-mounted.sh

f=/mnt/data
replica=/tmp/replica
bad="0 1 19 1 54 3"		# file sectors poisoned: START COUNT pairs
tests_per_fs=27
fs_list=$(echo "${RIG_FS:-ext4,xfs}" | tr , ' ')
n=0

# ---- helpers ----

check() {	# check NAME FUNCTION: run it, print its TAP line
	n=$((n + 1))
	if $2 > /tmp/check.log 2>&1; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		sed 's/^/#   /' /tmp/check.log | head -20
	fi
}

fail() { echo "$*"; return 1; }

. /jobs/file-sectors.sh

# Listed sectors keep their bytes: each gets junk first, through the file
# (the disk's page cache is ext4's metadata cache), so that a tool that
# returns it or a repair that leaves it fails the comparison with the
# replica.
poison() {	# poison FILE START COUNT...: add sectors of FILE to badblocks
	file=$1; shift
	while [ $# -gt 1 ]; do
		disk=$(sector_of $file $1) &&
		[ "$(sector_of $file $(($1 + $2 - 1)))" = $((disk + $2 - 1)) ] || {
			echo "Bail out! sectors $1+$2 of $file are not one run on disk"
			exit 1
		}
		junk=$(($(stat -c %s $file) - $1 * 512))	# not past EOF
		[ $junk -lt $(($2 * 512)) ] || junk=$(($2 * 512))
		head -c $junk /dev/zero | tr '\0' '\245' |
			dd of=$file bs=512 seek=$1 conv=notrunc 2>/dev/null
		echo "$disk $2" > /sys/block/pmem0/badblocks
		shift 2
	done
}

no_badblocks() { [ -z "$(cat /sys/block/pmem0/badblocks)" ]; }

# Whether the kernel has FS_IOC_GETPOISON, told without asking the tool
# under test.
kernel_has_query() { grep -q ' dax_getpoison$' /proc/kallsyms; }

# The method pmem-recover must use to find poison on this kernel, where
# it has the flag.
flagged_method() {
	if kernel_has_query; then echo FS_IOC_GETPOISON; else echo RWF_RECOVERY_DATA; fi
}

# Whole-page writes clear poison on legacy pmem on any kernel: put the
# file back as the replica, between tests.
restore() {
	dd if=$replica of=$f bs=4096 conv=notrunc 2>/dev/null
	no_badblocks || echo "# poison left after restore: $(cat /sys/block/pmem0/badblocks)"
}

# After umount, so that the next mkfs starts clean: O_DIRECT writes to
# the disk clear whatever is still listed.
clear_disk_poison() {
	cat /sys/block/pmem0/badblocks | while read -r s c; do
		xfs_io -d -c "pwrite -q -S 0 $((s * 512)) $((c * 512))" /dev/pmem0
	done
}

zero_sectors() {	# zero_sectors FILE START COUNT...
	file=$1; shift
	while [ $# -gt 1 ]; do
		dd if=/dev/zero of=$file bs=512 seek=$1 count=$2 conv=notrunc 2>/dev/null
		shift 2
	done
}

run() {		# run NAME COMMAND...: stdout, stderr and status in /tmp/NAME.*
	name=$1; shift
	"$@" > /tmp/$name.out 2> /tmp/$name.err
	echo $? > /tmp/$name.rc
}

status_is() {	# status_is NAME RC
	[ "$(cat /tmp/$1.rc)" = $2 ] ||
		fail "$1: exit status $(cat /tmp/$1.rc), expected $2; stderr: $(cat /tmp/$1.err)"
}

lines_are() {	# lines_are FILE PATTERN (expected lines on stdin)
	grep "$2" $1 > /tmp/lines.got
	diff /tmp/lines.got - || fail "$1: unexpected lines"
}

exact_ranges() {
	cat <<-EOF
	  offset 0, length 512
	  offset 9728, length 512
	  offset 27648, length 1536
	EOF
}

page_ranges() {
	cat <<-EOF
	  offset 0, length 4096
	  offset 8192, length 4096
	  offset 24576, length 8192
	EOF
}

# ---- the tests ----

help_documents_exit_codes() {
	run help pmem-recover --help && status_is help 0 &&
	grep -q '^Exit status:' /tmp/help.out &&
	grep -q '^  4  unsupported' /tmp/help.out
}

usage_errors_exit_2() {
	for args in "" "frob $f" "scan" "scan $f $f" "scan --bogus $f" \
		    "salvage $f" "scan --map x $f" "repair $f" "repair $f --from" \
		    "salvage $f $f"; do
		# shellcheck disable=SC2086
		run usage pmem-recover $args
		status_is usage 2 && grep -q "Try 'pmem-recover --help'" /tmp/usage.err ||
			fail "pmem-recover $args" || return 1
	done
	cmp -s $f $replica || fail "a usage error changed $f"
}

missing_file_exit_3() {
	run missing pmem-recover scan /mnt/missing && status_is missing 3 &&
	grep -q 'No such file' /tmp/missing.err
}

non_dax_file_exit_4() {
	run nondax pmem-recover scan $replica && status_is nondax 4 &&
	grep -q 'not a DAX file.*EOPNOTSUPP' /tmp/nondax.err &&
	run nondax pmem-recover salvage $replica /tmp/nondax.copy && status_is nondax 4
}

scan_clean_file_exit_0() {
	run clean pmem-recover scan $f && status_is clean 0 &&
	grep -q "^$f: no poison in 1048576 bytes" /tmp/clean.out
}

scan_lists_injected_ranges() {
	run scan pmem-recover scan $f && status_is scan 1 &&
	exact_ranges | lines_are /tmp/scan.out '^  offset'
}

scan_json_lists_injected_ranges() {
	run json pmem-recover scan --json $f && status_is json 1 &&
	grep -q "\"method\":\"$(flagged_method)\"" /tmp/json.out ||
		fail "method: $(cat /tmp/json.out)" || return 1
	grep -q '"ranges":\[{"offset":0,"length":512},{"offset":9728,"length":512},{"offset":27648,"length":1536}\]}' /tmp/json.out
}

scan_io_uring_lists_injected_ranges() {
	run uscan pmem-recover scan --io-uring $f && status_is uscan 1 &&
	exact_ranges | lines_are /tmp/uscan.out '^  offset'
}

# Any kernel: with the query, exact sectors and nothing on stderr; with
# the flag only, says that it reads the file (ENOTTY), exact sectors;
# without either, says so (EOPNOTSUPP), what it costs, and lists whole
# pages.
scan_says_which_method() {
	run which pmem-recover scan $f && status_is which 1 || return 1
	if grep -q 'this kernel does not support RWF_RECOVERY_DATA (EOPNOTSUPP)' /tmp/which.err; then
		grep -q 'lost whole' /tmp/which.err &&
		page_ranges | lines_are /tmp/which.out '^  offset'
	elif kernel_has_query; then
		[ ! -s /tmp/which.err ] || fail "stderr: $(cat /tmp/which.err)" || return 1
		grep -q '(512-byte sectors, FS_IOC_GETPOISON)$' /tmp/which.out &&
		exact_ranges | lines_are /tmp/which.out '^  offset'
	else
		echo "pmem-recover: $f: the kernel cannot say where the poison is (FS_IOC_GETPOISON: Inappropriate ioctl for device): reading the whole file" |
			diff /tmp/which.err - &&
		grep -q '(512-byte sectors, RWF_RECOVERY_DATA)$' /tmp/which.out &&
		exact_ranges | lines_are /tmp/which.out '^  offset'
	fi
}

# Reading the file finds what the kernel says, wherever it can say.
scan_without_query_reads_the_file() {
	run nq pmem-recover scan --no-query --json $f && status_is nq 1 &&
	grep -q '"method":"RWF_RECOVERY_DATA"' /tmp/nq.out &&
	grep -q '"ranges":\[{"offset":0,"length":512},{"offset":9728,"length":512},{"offset":27648,"length":1536}\]}' /tmp/nq.out
}

scan_page_fallback_lists_pages() {
	run pscan pmem-recover scan --no-recovery-flag $f && status_is pscan 1 &&
	grep -q 'lost whole' /tmp/pscan.err &&
	page_ranges | lines_are /tmp/pscan.out '^  offset'
}

# Progress is that of reading: the query reads nothing.
scan_progress_on_stderr() {
	run progress pmem-recover scan --progress --no-query $f && status_is progress 1 &&
	grep -q "$f: 1.0 of 1.0 MiB (100%)" /tmp/progress.err &&
	! grep -q MiB /tmp/progress.out
}

salvage_keeps_good_bytes() {
	run salvage pmem-recover salvage $f /tmp/out && status_is salvage 1 &&
	cmp /tmp/out /tmp/expect
}

salvage_map_lists_lost_ranges() {
	head -1 /tmp/out.map | grep -q '^# Mapfile' || fail "no mapfile comment" || return 1
	grep -v '^#' /tmp/out.map | diff - /tmp/expect.map
}

salvage_io_uring_equals_plain() {
	run usalvage pmem-recover salvage --io-uring $f /tmp/out-uring \
		--map /tmp/uring.map && status_is usalvage 1 &&
	cmp /tmp/out-uring /tmp/out && cmp /tmp/out-uring /tmp/expect &&
	grep -v '^#' /tmp/uring.map | diff - /tmp/expect.map
}

salvage_without_query_keeps_good_bytes() {
	run nqsalvage pmem-recover salvage --no-query $f /tmp/out-nq --map /tmp/nq.map &&
	status_is nqsalvage 1 && cmp /tmp/out-nq /tmp/expect &&
	grep -v '^#' /tmp/nq.map | diff - /tmp/expect.map
}

salvage_page_fallback_loses_pages() {
	run psalvage pmem-recover salvage --no-recovery-flag $f /tmp/out-pages &&
	status_is psalvage 1 && cmp /tmp/out-pages /tmp/expect-pages
}

repair_reports_injected_ranges() {
	status_is repair 0 &&
	sed -n 's/^  repaired offset/  offset/p' /tmp/repair.out > /tmp/repair.ranges &&
	exact_ranges | lines_are /tmp/repair.ranges '^  offset'
}

repair_restores_replica() { status_is repair 0 && cmp $f $replica; }
repair_clears_badblocks() { no_badblocks || fail "badblocks: $(cat /sys/block/pmem0/badblocks)"; }
repair_keeps_extents() { extents $f | diff /tmp/extents.before -; }

repair_page_fallback_restores_replica() {
	run prepair pmem-recover repair --no-recovery-flag $f --from $replica &&
	status_is prepair 0 && cmp $f $replica && no_badblocks &&
	sed -n 's/^  repaired offset/  offset/p' /tmp/prepair.out > /tmp/prepair.ranges &&
	page_ranges | lines_are /tmp/prepair.ranges '^  offset'
}

# More poisoned ranges than the tool asks for at once (QUERY_BATCH, 256):
# every other sector of the first 260 pairs.  The query must go on where
# the kernel says (next), and reading must find the same.
many_ranges=260
many_ranges_expected() {
	i=0
	while [ $i -lt $many_ranges ]; do
		echo "  offset $((i * 1024)), length 512"
		i=$((i + 1))
	done
}

scan_lists_many_ranges() {
	i=0
	while [ $i -lt $many_ranges ]; do
		poison $f $((2 * i)) 1
		i=$((i + 1))
	done
	run many pmem-recover scan $f && status_is many 1 &&
	many_ranges_expected | lines_are /tmp/many.out '^  offset' &&
	run nqmany pmem-recover scan --no-query $f && status_is nqmany 1 &&
	many_ranges_expected | lines_are /tmp/nqmany.out '^  offset'
}

# A file of 1 MiB + 100 bytes whose last sector, cut by EOF, is poisoned:
# a write must cover a bad sector whole, so the repair writes past EOF
# and cuts the file back (with or without the flag).
repair_unaligned_tail() {
	cp /tmp/tail-replica /mnt/tail && sync && poison /mnt/tail 2048 1 &&
	run tscan pmem-recover scan /mnt/tail && status_is tscan 1 &&
	echo "  offset 1048576, length 100" | lines_are /tmp/tscan.out '^  offset' &&
	run tail pmem-recover repair /mnt/tail --from /tmp/tail-replica &&
	status_is tail 0 && cmp /mnt/tail /tmp/tail-replica && no_badblocks
}

# The sample: sector 37 (bytes 18944-19455) of page 4 is poisoned; its
# checksum loop faults there, repairs and goes on with the same mapping.
sample_repairs_from_replica() {
	run sample dax-sigbus-repair $f $replica && status_is sample 0 &&
	grep -q '^SIGBUS (BUS_MCEERR_AR) at file offset 16384: 4096 bytes' /tmp/sample.out &&
	grep -q "repaired offset 16384, 4096 bytes, from $replica" /tmp/sample.out &&
	cmp $f $replica && no_badblocks &&
	run sample-replica dax-sigbus-repair $replica && {
		[ "$(awk '{ print $3 }' /tmp/sample.out | tail -1)" = \
		  "$(awk '{ print $3 }' /tmp/sample-replica.out)" ] || fail "checksums differ"
	}
}

# Poison in three pages far apart (sectors 37, 300 and 1000: pages 4, 37
# and 125): the first fault is the only one, the kernel says where the
# other two are, and all three are repaired before the work goes on.
sample_repairs_all_after_one_fault() {
	run sall dax-sigbus-repair $f $replica && status_is sall 0 &&
	[ "$(grep -c '^SIGBUS' /tmp/sall.out)" = 1 ] || fail "not one fault" || return
	grep -q 'FS_IOC_GETPOISON reported 3 poisoned ranges$' /tmp/sall.out &&
	for page in 16384 151552 512000; do
		grep -q "repaired offset $page, 4096 bytes, from $replica" /tmp/sall.out ||
			fail "page at $page not repaired" || return
	done &&
	cmp $f $replica && no_badblocks
}

sample_zero_fills_without_replica() {
	cp $replica /tmp/expect-sample && zero_sectors /tmp/expect-sample 37 1
	run salone dax-sigbus-repair $f && status_is salone 0 &&
	grep -q 'lost bytes 18944-19455: zero-filled' /tmp/salone.out &&
	grep -q 'salvaged 3584 of 4096 bytes' /tmp/salone.out &&
	cmp $f /tmp/expect-sample && no_badblocks
}

# ---- the run ----

setup() {	# setup FS: format /dev/pmem0, mount it -o dax, put the file there
	case $1 in
	ext4) mkfs.ext4 -q -F -b 4096 /dev/pmem0 ;;
	xfs)  mkfs.xfs -q -f -m reflink=0 /dev/pmem0 ;;
	esac > /dev/null 2>&1 &&
	mount -o dax /dev/pmem0 /mnt && dax_mounted /dev/pmem0 /mnt &&
	cp $replica $f && sync
}

head -c 1048576 /dev/urandom > $replica
head -c 1048676 /dev/urandom > /tmp/tail-replica
cp $replica /tmp/expect && zero_sectors /tmp/expect $bad
cp $replica /tmp/expect-pages && zero_sectors /tmp/expect-pages 0 8 16 8 48 16
cat > /tmp/expect.map <<-EOF
0x00100000     +               1
0x00000000  0x00000200  -
0x00000200  0x00002400  +
0x00002600  0x00000200  -
0x00002800  0x00004400  +
0x00006C00  0x00000600  -
0x00007200  0x000F8E00  +
EOF

echo "TAP version 13"
echo "1..$(($(echo $fs_list | wc -w) * tests_per_fs))"
for fs in $fs_list; do
	echo "# dax-fs: $fs"
	setup $fs || echo "# cannot make and mount $fs -o dax on /dev/pmem0"
	check pmem_recover.help_documents_exit_codes help_documents_exit_codes
	check pmem_recover.usage_errors_exit_2 usage_errors_exit_2
	check pmem_recover.missing_file_exit_3 missing_file_exit_3
	check pmem_recover.non_dax_file_exit_4 non_dax_file_exit_4
	check pmem_recover.scan_clean_file_exit_0 scan_clean_file_exit_0

	poison $f $bad
	check pmem_recover.scan_lists_injected_ranges scan_lists_injected_ranges
	check pmem_recover.scan_json_lists_injected_ranges scan_json_lists_injected_ranges
	check pmem_recover.scan_io_uring_lists_injected_ranges scan_io_uring_lists_injected_ranges
	check pmem_recover.scan_says_which_method scan_says_which_method
	check pmem_recover.scan_without_query_reads_the_file scan_without_query_reads_the_file
	check pmem_recover.scan_page_fallback_lists_pages scan_page_fallback_lists_pages
	check pmem_recover.scan_progress_on_stderr scan_progress_on_stderr
	check pmem_recover.salvage_keeps_good_bytes salvage_keeps_good_bytes
	check pmem_recover.salvage_map_lists_lost_ranges salvage_map_lists_lost_ranges
	check pmem_recover.salvage_io_uring_equals_plain salvage_io_uring_equals_plain
	check pmem_recover.salvage_without_query_keeps_good_bytes salvage_without_query_keeps_good_bytes
	check pmem_recover.salvage_page_fallback_loses_pages salvage_page_fallback_loses_pages

	extents $f > /tmp/extents.before
	run repair pmem-recover repair $f --from $replica
	check pmem_recover.repair_reports_injected_ranges repair_reports_injected_ranges
	check pmem_recover.repair_restores_replica repair_restores_replica
	check pmem_recover.repair_clears_badblocks repair_clears_badblocks
	check pmem_recover.repair_keeps_extents repair_keeps_extents
	restore

	poison $f $bad
	check pmem_recover.repair_page_fallback_restores_replica repair_page_fallback_restores_replica
	restore

	check pmem_recover.scan_lists_many_ranges scan_lists_many_ranges
	restore

	poison $f 37 1
	check dax_sigbus_repair.repairs_from_replica sample_repairs_from_replica
	restore
	poison $f 37 1
	check dax_sigbus_repair.zero_fills_without_replica sample_zero_fills_without_replica
	restore
	poison $f 37 1 300 1 1000 1
	check dax_sigbus_repair.repairs_all_after_one_fault sample_repairs_all_after_one_fault
	restore
	# last: if it fails, its poison stays until the disk is cleared
	check pmem_recover.repair_unaligned_tail repair_unaligned_tail

	umount /mnt
	clear_disk_poison
done
