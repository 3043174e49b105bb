# The demo, in plain words: put a file on persistent memory, damage one
# 512-byte piece of it the way a failing memory chip would, and show what
# a program gets back when it reads and repairs the file.
. /jobs/fsdax-namespace.sh
say() { printf '%s\n' "$*"; }
f=/mnt/letters.txt

mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -o dax /dev/pmem0 /mnt || exit 1
say "A 64 KiB file on persistent memory (ext4, mounted with -o dax: reads and"
say "writes go straight to the memory chips, no page cache in between)."
i=0
while [ $i -lt 1024 ]; do printf 'line %04d of the letters file .............................. ok\n' $i; i=$((i + 1)); done > $f
sync
cp $f /tmp/replica
size=$(stat -c %s $f)
say "It holds $size bytes of text: 1024 lines of 64 bytes."
say

# filefrag -b512 -v prints where the file lives on the disk, in 512-byte units.
. /jobs/file-sectors.sh
bad=$(sector_of $f 19) || { say "no disk sector under $f"; exit 1; }
before=$(extents $f)
echo "$bad 1" > /sys/block/pmem0/badblocks
say "Now the memory reports a media error in one 512-byte sector of the file:"
say "bytes 9728 to 10239 (disk sector $bad; the kernel's list of bad sectors"
say "in /sys/block/pmem0/badblocks now says: $(cat /sys/block/pmem0/badblocks))."
say

try() {	# try WHAT COMMAND...: run it and say how it went
	what=$1; shift
	if err=$("$@" 2>&1 >/dev/null); then say "  $what: works"
	else err=$(echo "$err" | head -1); say "  $what: FAILS (${err##*: })"; fi
}
say "Reading it back:"
try "the whole file, in one read" dd if=$f of=/dev/null bs=65536 count=1
for page in 0 1 2 3; do
	if dd if=$f of=/dev/null bs=4096 skip=$page count=1 2>/dev/null; then
		say "  4 KiB page $page (bytes $((page * 4096))-$((page * 4096 + 4095))): works"
	else
		say "  4 KiB page $page (bytes $((page * 4096))-$((page * 4096 + 4095))): FAILS, Input/output error"
	fi
done
try "the 512 bytes just before the bad sector" dd if=$f of=/dev/null bs=512 skip=18 count=1
try "the 512 bytes just after the bad sector " dd if=$f of=/dev/null bs=512 skip=20 count=1
say "So one bad 512-byte sector costs the whole 4 KiB page around it."
say

say "A plain write of just the 512 bad bytes cannot repair them either:"
try "writing the 512 bad bytes" dd if=/tmp/replica of=$f bs=512 skip=19 seek=19 count=1 conv=notrunc
say

say "Now the same with RWF_RECOVERY_DATA, the flag this patch series adds."
say "Reading with the flag, skipping 512 bytes each time a read says EIO:"
demo-recover salvage $f
say "Only the bad sector is lost; the good sectors around it come back."
say
say "Repairing just the bad sector from a replica, with the flag:"
demo-recover repair $f 9728 512 /tmp/replica
say "  bad sectors still listed: $(cat /sys/block/pmem0/badblocks | wc -l)"
try "reading the whole file again, without the flag" dd if=$f of=/dev/null bs=65536 count=1
if cmp -s $f /tmp/replica; then say "  the file is whole again: identical to the replica"
else say "  the file DIFFERS from the replica"; fi
if [ "$before" = "$(extents $f)" ]; then say "  and it still lives in the same place on the disk (no hole punched, no new blocks)"
else say "  but it moved on the disk:"; extents $f; fi
umount /mnt
