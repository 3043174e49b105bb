# Sourced by jobs that poison a file's sectors: where a file's bytes lie
# on its disk.  A small file need not be one extent, even when written at
# once into an empty file system: ext4 allocates from per-CPU
# preallocations, so a writer that moves between CPUs gets its blocks from
# two places.  Its first extent says nothing of the third page.

# sector_of FILE SECTOR: the disk sector under that 512-byte sector of
# FILE (filefrag -b512 counts in sectors); fails, printing nothing, for a
# hole or a file it cannot map.
sector_of() {
	filefrag -b512 -v "$1" | awk -v s="$2" '
		/^ *[0-9]+:/ { gsub(/\.\.|:/, " ")
			       if (s >= $2 && s <= $3) { print $4 + s - $2; found = 1; exit } }
		END { exit !found }'
}

# extents FILE: its extent map, one line per extent, to tell whether it
# kept its blocks.
extents() { filefrag -b512 -v "$1" | grep '^ *[0-9]*:'; }
