#!/usr/bin/env python3
"""Tabulate scripts/bench-paths.sh: instructions per call, base against
patched (unflagged calls, spec U5) and flagged against unflagged."""
import argparse
import re

U5_TARGET = 1.005       # unflagged: at most 0.5 % more than base
FLAG_TARGET = 1.03      # flagged: at most 3 % more than unflagged
UNFLAGGED = ("pread", "pwrite", "preadv2", "pwritev2")


def hot_figures(path):
    """{(fs, bs, method): instructions per call} from dax-bench's lines."""
    figures = {}
    for line in open(path, errors="replace"):
        if not line.startswith("bench case=hot "):
            continue
        f = dict(re.findall(r"(\w+)=(\S+)", line))
        # Under icount a guest nanosecond is one instruction.
        figures[(f["fs"], int(f["bs"]), f["method"])] = \
            float(f["us_per_call"]) * 1000
    return figures


def verdict(ratio, target):
    return "ok" if ratio <= target else "**over**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernels", required=True)
    ap.add_argument("base")
    ap.add_argument("patched")
    args = ap.parse_args()
    base, patched = hot_figures(args.base), hot_figures(args.patched)
    keys = sorted(k for k in patched if k[2] in UNFLAGGED)

    print("# Cost of kernel paths in instructions\n")
    print("Series %s; QEMU -icount shift=0, one vCPU: the guest clock "
          "counts executed instructions (not cycles).  dax-bench's hot "
          "path over a clean 64 MiB file, median of the timed passes.\n"
          % args.kernels)
    print("## Unflagged calls, base against patched (U5, target "
          "≤ %.1f %% more)\n" % ((U5_TARGET - 1) * 100))
    print("| fs | bytes/call | call | base | patched | patched/base | |")
    print("|---|---:|---|---:|---:|---:|---|")
    for k in keys:
        if k not in base:
            continue
        r = patched[k] / base[k]
        print("| %s | %d | %s | %.0f | %.0f | %.5f | %s |"
              % (k + (base[k], patched[k], r, verdict(r, U5_TARGET))))
    print("\n## Flagged against unflagged on the patched kernel (target "
          "≤ %.0f %% more)\n" % ((FLAG_TARGET - 1) * 100))
    print("| fs | bytes/call | call | unflagged | flagged | flagged/unflagged | |")
    print("|---|---:|---|---:|---:|---:|---|")
    for fs, bs, call in keys:
        flagged = patched.get((fs, bs, call + "-flag"))
        if flagged is None:
            continue
        r = flagged / patched[(fs, bs, call)]
        print("| %s | %d | %s | %.0f | %.0f | %.4f | %s |"
              % (fs, bs, call, patched[(fs, bs, call)], flagged, r,
                 verdict(r, FLAG_TARGET)))


if __name__ == "__main__":
    main()
