# Sourced by jobs that print TAP: "check NAME COMMAND..." runs COMMAND and
# prints "ok N PREFIX.NAME" or "not ok N PREFIX.NAME" (PREFIX from
# $check_prefix), then what COMMAND printed, as TAP comments.
n=0
check() {
	name=$1
	shift
	n=$((n + 1))
	if "$@" > /tmp/check.out 2>&1; then echo "ok $n $check_prefix.$name"
	else echo "not ok $n $check_prefix.$name"; fi
	sed 's/^/# /' /tmp/check.out
}
