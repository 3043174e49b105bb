# Run the DAX kselftests on /dev/pmem0 with every file system in RIG_FS
# (comma-separated: kernel command line values cannot hold spaces), over
# a dm target if RIG_DM names one (linear, stripe).
. /jobs/fsdax-namespace.sh
DAX_TEST_DEV=/dev/pmem0 DAX_TEST_FS="$(echo "${RIG_FS:-ext4,xfs}" | tr , ' ')" \
	DAX_TEST_DM=${RIG_DM:-} /kselftest/run_dax_tests.sh
