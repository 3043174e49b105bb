# Sourced by jobs: make sure /dev/pmem0 is an fsdax disk.  A QEMU NVDIMM
# boots as a raw namespace; converting it writes an info block to the
# backing file, so later boots from the same file find it done.
if [ "$RIG_KIND" = nfit ] &&
   ! ndctl list -n namespace0.0 | grep -q '"mode":"fsdax"'; then
	ndctl create-namespace -f -e namespace0.0 -m fsdax >/dev/null
fi
i=0
while [ ! -b /dev/pmem0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
