#!/usr/bin/env python3
"""Tabulate scripts/bench-blk.sh: unflagged reads of block devices, base
against patched (spec U5); flagged reads of a clean block device against
plain ones (S3/S4, target: at least 0.95 times their speed); and the
flagged read loop against a ddrescue-style loop on disks with bad blocks:
reads issued, instructions, kernel log lines and failed commands."""
import argparse
import re

CLEAN_TARGET = 0.95     # plain / flagged instructions, a clean disk
U5_TARGET = 1.005       # unflagged: at most 0.5 % more than base


def lines(path, case):
    """dict per "bench case=CASE" line of PATH"""
    for line in open(path, errors="replace"):
        if line.startswith("bench case=%s " % case):
            yield dict(re.findall(r"(\w+)=(\S+)", line))


def instructions(f, key):
    """Under icount a guest millisecond is a million instructions."""
    return float(f[key]) * 1e6


def clean_rows(path):
    """{(dev, size, method): instructions per pass, or None}"""
    rows = {}
    for f in lines(path, "blk-clean"):
        rows[(f["dev"], int(f["size"]), f["method"])] = \
            None if "error" in f else instructions(f, "ms_median")
    return rows


def keys(rows):
    """(dev, size) in the order measured"""
    seen = []
    for dev, size, _ in rows:
        if (dev, size) not in seen:
            seen.append((dev, size))
    return seen


def print_u5(base, now):
    print("\n## Unflagged reads of a block device, base against patched "
          "(U5, target ≤ +%.1f %%)\n" % ((U5_TARGET - 1) * 100))
    print("Instructions per pass over the first 32 MiB (median of 5), in "
          "calls of the size given; buffered reads find the page cache "
          "warm.\n")
    print("| disk | call | read | base | patched | patched/base | |")
    print("|---|---:|---|---:|---:|---:|---|")
    for dev, size in keys(now):
        for method, what in (("plain", "O_DIRECT"), ("buffered", "buffered")):
            b, n = base.get((dev, size, method)), now.get((dev, size, method))
            if b is None or n is None:
                print("| %s | %s | %s | | | | missing |" % (dev, human(size), what))
                continue
            ratio = n / b
            print("| %s | %s | %s | %.0f | %.0f | %.4f | %s |" % (
                dev, human(size), what, b, n, ratio,
                "ok" if ratio <= U5_TARGET else "missed"))


def print_clean(now, before):
    print("\n## Flagged against plain reads of a clean disk (S3/S4, "
          "target: plain/flagged ≥ %.2f)\n" % CLEAN_TARGET)
    print("The same passes, on the patched kernel.%s scsi_debug copies a "
          "command's data one sector at a time, each time walking the "
          "command's scatterlist from its start (do_device_access()), so "
          "that a command costs it the square of its size: plain reads of "
          "1 MiB cost four times per byte what reads of 4 KiB do, and "
          "anything that reads in small pieces looks cheap there.\n" % (
              " \"before\": the flagged read of the previous design, "
              "which read every page with its own synchronous bio into a "
              "bounce page, O_DIRECT or not." if before else ""))
    head = "| disk | call | read | plain | flagged | plain/flagged | |"
    rule = "|---|---:|---|---:|---:|---:|---|"
    if before:
        head += " flagged before | plain/before |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    for dev, size in keys(now):
        for plain_m, flag_m, what in (("plain", "flag", "O_DIRECT"),
                                      ("buffered", "buffered-flag", "buffered")):
            plain, flag = now.get((dev, size, plain_m)), now.get((dev, size, flag_m))
            if plain is None or flag is None:
                print("| %s | %s | %s | | | | error |" % (dev, human(size), what))
                continue
            ratio = plain / flag
            row = "| %s | %s | %s | %.0f | %.0f | %.3f | %s |" % (
                dev, human(size), what, plain, flag, ratio,
                "ok" if ratio >= CLEAN_TARGET else "missed")
            if before:
                old = before.get((dev, size, flag_m))
                row += " %s | %s |" % (("%.0f" % old, "%.3f" % (plain / old))
                                       if old else ("", ""))
            print(row)


def human(size):
    return "%d MiB" % (size >> 20) if size >= 1 << 20 else "%d KiB" % (size >> 10)


def print_salvage(now, before):
    print("\n## A disk with bad blocks: the flagged read loop against a "
          "ddrescue-style loop\n")
    print("All read the first 32 MiB in calls of 1 MiB. The flagged loop "
          "(\"flag\", readv(2)'s example) keeps what each call returns and "
          "steps over one 512-byte block where a call fails with EIO; "
          "\"flag-skip\" also steps over the block after a short read "
          "without asking for it (a short flagged read says that block "
          "cannot be read); the ddrescue loop, where a 1 MiB read fails, "
          "reads that MiB again a block at a time. dust: "
          "dm-dust over pmem with K blocks bad, spread over the disk; scsi: "
          "scsi_debug with a medium error over K blocks. \"exact\": the "
          "blocks not read are exactly the bad ones and every byte read "
          "is right. Instructions include the emulated disk's driver "
          "(all in the guest); log lines are the kernel log records the "
          "run added, each run starting with the log's rate limits let go "
          "(the block layer and SCSI allow 10 reports in 5 s); failed "
          "commands are those the SCSI disk completed with an error "
          "(device/ioerr_cnt): on a real failing disk each can take "
          "seconds of the drive's own retries.\n")
    print("| disk | K | method | exact | reads | instructions | "
          "instructions / ddrescue's | log lines | failed commands |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|")
    rows = {}
    for f in now:
        rows.setdefault((f["dev"], int(f["k"])), {})[f["method"]] = f
    old = {}
    for f in before:
        if f["method"] == "flag":
            old[(f["dev"], int(f["k"]))] = f
    for key, m in rows.items():
        dd = m.get("ddrescue")
        for name in ("flag", "flag-skip", "ddrescue"):
            f = m.get(name)
            if not f:
                continue
            if "error" in f:
                print("| %s | %d | %s | error=%s | | | | | |" % (
                    *key, name, f["error"]))
                continue
            ratio = ""
            if name != "ddrescue" and dd and "error" not in dd:
                ratio = "%.3f" % (instructions(f, "ms") / instructions(dd, "ms"))
            print("| %s | %d | %s | %s | %s | %.0f | %s | %s | %s |" % (
                *key, name, f["exact"], f["calls"], instructions(f, "ms"),
                ratio, f["log_lines"], failed(f)))
        o = old.get(key)
        if o and "error" not in o:
            print("| %s | %d | flag, before | %s | %s | %.0f | | %s | %s |" % (
                *key, o["exact"], o["calls"], instructions(o, "ms"),
                o["log_lines"], failed(o)))


def failed(f):
    """failed_cmds, or nothing where the disk does not count them"""
    n = f.get("failed_cmds", "-1")
    return "" if n.startswith("-") else n


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kernels", default="", help="what was measured")
    ap.add_argument("--before", help="blk-bench output of an earlier design")
    ap.add_argument("base", help="blk-bench output of the base kernel")
    ap.add_argument("log", help="blk-bench output of the patched kernel")
    args = ap.parse_args()
    release = next((f.get("release", "?") for f in lines(args.log, "kernel")), "?")
    print("# Block devices: a flagged read on a clean disk and on a bad one\n")
    print("Measured by scripts/bench-blk.sh: %s (guest release %s), QEMU "
          "-icount shift=0, one vCPU: a guest nanosecond is one executed "
          "instruction, and these are instruction counts, not cycles; "
          "scsi_debug answers at once (delay=0), so nothing here waits for "
          "a device.\n" % (args.kernels, release))
    before = clean_rows(args.before) if args.before else {}
    now = clean_rows(args.log)
    print_u5(clean_rows(args.base), now)
    print_clean(now, before)
    print_salvage(list(lines(args.log, "blk-salvage")),
                  list(lines(args.before, "blk-salvage")) if args.before else [])


if __name__ == "__main__":
    main()
