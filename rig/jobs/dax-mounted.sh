# Sourced by jobs: "dax_mounted DEV DIR" succeeds if DEV is mounted at DIR
# with DAX (the options say dax=always, or dax); xfs mounts without DAX,
# with a warning, where the disk cannot do it.
dax_mounted() {
	awk -v dev="$1" -v dir="$2" '$1 == dev && $2 == dir &&
		$4 ~ /(^|,)dax(=always)?(,|$)/ { found = 1 } END { exit !found }' /proc/mounts
}
