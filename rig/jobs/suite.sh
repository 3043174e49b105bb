# Run the DAX kselftests on /dev/pmem0 with every file system in RIG_FS.
. /jobs/fsdax-namespace.sh
DAX_TEST_DEV=/dev/pmem0 DAX_TEST_FS="${RIG_FS:-ext4 xfs}" /kselftest/run_dax_tests.sh
