# Run the DAX kselftests on /dev/pmem0 with every file system in RIG_FS
# (comma-separated: kernel command line values cannot hold spaces), over
# a dm target if RIG_DM names one (linear, stripe, log-writes; RIG_CHUNK
# sets the stripe chunk in sectors, RIG_LOGDEV the log-writes log disk),
# on a partition starting at sector RIG_PART if set.  RIG_TESTS narrows the
# run to some test programs and RIG_ONLY to some tests (fixture.test,
# comma-separated), as scripts/mutants.sh does.
. /jobs/fsdax-namespace.sh
only=
for t in $(echo "${RIG_ONLY:-}" | tr , ' '); do only="$only -r $t"; done
# shellcheck disable=SC2086 # $only is a list of options
DAX_TEST_DEV=/dev/pmem0 DAX_TEST_FS="$(echo "${RIG_FS:-ext4,xfs}" | tr , ' ')" \
	DAX_TEST_DM=${RIG_DM:-} DAX_TEST_CHUNK=${RIG_CHUNK:-8} \
	DAX_TEST_LOGDEV=${RIG_LOGDEV:-} DAX_TEST_PART=${RIG_PART:-} \
	DAX_TESTS="$(echo "${RIG_TESTS:-}" | tr , ' ')" \
	/kselftest/run_dax_tests.sh $only
