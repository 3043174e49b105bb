#!/usr/bin/env python3
"""Turn the result lines of scripts/bench.sh into the benchmark's tables,
print them, and write them with their context to a Markdown page and the
salvage and repair costs to a PNG plot (gnuplot).

usage: bench-report.py [--date D] [--runtime R] [--debian V] [--series S]
                       [--qemu V] RESULTS PAGE.md PLOT.png

RESULTS holds "bench boot=BOOT kernel=base|patched case=CASE key=value..."
lines from several boots of each kernel.  A figure of a kernel is the
median over its boots of each boot's median, its range the smallest and
the largest repetition of all its boots; how far the base kernel's boots
stray from each other is the rig's noise.
"""
import argparse
import statistics
import subprocess
import sys

FILESYSTEMS = ("ext4", "xfs")
SALVAGE_METHODS = (("page", "base"), ("bisect", "base"),
                   ("bisect+raw", "base"), ("flag", "patched"))
REPAIR_METHODS = (("page-rewrite", "base"), ("punch-write", "base"),
                  ("flag", "patched"))
HOT_CALLS = ("pread", "pwrite", "preadv2", "pwritev2")
# What a method must do alike on both kernels (U5), per case.
OUTCOME = {"salvage": ("good_pct", "syscalls", "wrong_bytes"),
           "repair": ("syscalls", "rewritten_good_bytes", "poison_left", "data_ok")}


def parse(path):
    """One dict per "bench" line; numbers become numbers."""
    records = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] != "bench":
                continue
            rec = {}
            for field in fields[1:]:
                key, _, value = field.partition("=")
                try:
                    rec[key] = float(value) if "." in value else int(value)
                except ValueError:
                    rec[key] = value
            records.append(rec)
    return records


def aggregate(recs):
    """One figure from the same measurement in several boots."""
    if not recs:
        return None
    out = dict(recs[0])
    timed = [r for r in recs if "ms_median" in r]
    if timed:
        out["boot_medians"] = [r["ms_median"] for r in timed]
        out["ms_median"] = statistics.median(out["boot_medians"])
        out["ms_min"] = min(r["ms_min"] for r in timed)
        out["ms_max"] = max(r["ms_max"] for r in timed)
        for key in ("us_per_call", "mb_s"):
            if key in out:
                out[key] = statistics.median(r[key] for r in timed)
        if "rel_median" in out:
            out["boot_rels"] = [r["rel_median"] for r in timed]
            out["rel_median"] = statistics.median(out["boot_rels"])
    out["boots"] = len(recs)
    return out


class Results:
    def __init__(self, records):
        self.records = records

    def matching(self, **want):
        return [r for r in self.records if all(r.get(k) == v for k, v in want.items())]

    def find(self, **want):
        return aggregate(self.matching(**want))

    def values(self, key, **want):
        return sorted({r[key] for r in self.matching(**want) if key in r})

    def boots(self, kernel):
        return sorted({r["boot"] for r in self.matching(kernel=kernel)})


def ms(rec):
    return "%.2f (%.2f–%.2f)" % (rec["ms_median"], rec["ms_min"], rec["ms_max"])


def pct(x):
    return "—" if x is None else "%+.1f %%" % (100 * (x - 1))


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def timed(r):
    return r is not None and "ms_median" in r


def versus_flag(res, case, fs, k, method):
    """A method's time over the flag's, in the same boots of the patched
    kernel (which runs the base methods too): no boot-to-boot drift."""
    ratios = []
    for boot in res.boots("patched"):
        a = res.find(boot=boot, case=case, fs=fs, k=k, method=method)
        b = res.find(boot=boot, case=case, fs=fs, k=k, method="flag")
        if timed(a) and timed(b):
            ratios.append(a["ms_median"] / b["ms_median"])
    return "%.2f" % statistics.median(ratios) if ratios else "—"


def salvage_rows(res):
    rows = []
    for fs in FILESYSTEMS:
        for k in res.values("k", case="salvage", fs=fs):
            for method, kernel in SALVAGE_METHODS:
                r = res.find(kernel=kernel, case="salvage", fs=fs, k=k, method=method)
                if timed(r):
                    rows.append([fs, k, method, kernel, "%.3f %%" % r["good_pct"],
                                 "%.0f" % r["lost_per_bad"], r["syscalls"], ms(r),
                                 versus_flag(res, "salvage", fs, k, method)])
    return rows


def repair_rows(res):
    rows = []
    for fs in FILESYSTEMS:
        for k in res.values("k", case="repair", fs=fs):
            for method, kernel in REPAIR_METHODS:
                r = res.find(kernel=kernel, case="repair", fs=fs, k=k, method=method)
                if timed(r):
                    rows.append([fs, k, method, kernel, r["syscalls"], ms(r),
                                 versus_flag(res, "repair", fs, k, method),
                                 "%d → %d" % (r["extents_before"], r["extents_after"]),
                                 r["rewritten_good_bytes"], r["poison_left"], r["data_ok"]])
    return rows


def spread(rec, key="boot_medians"):
    """How far one kernel's boots stray from each other: max/min."""
    m = rec.get(key, [])
    return max(m) / min(m) if len(m) > 1 else None


def rel_ratio(a, b):
    """Patched over base on the yardstick-relative figure, if there is one."""
    if "rel_median" in a and "rel_median" in b:
        return a["rel_median"] / b["rel_median"]
    return None


def same_boot_ratio(res, fs, bs, call, plain):
    """A flagged call against the same call unflagged, boot by boot."""
    ratios = []
    for boot in res.boots("patched"):
        a = res.find(boot=boot, case="hot", fs=fs, bs=bs, method=call)
        b = res.find(boot=boot, case="hot", fs=fs, bs=bs, method=plain)
        if timed(a) and timed(b):
            ratios.append(a["ms_median"] / b["ms_median"])
    return statistics.median(ratios) if ratios else None


def hot_rows(res):
    """Patched against base (a flagged call against the same call
    unflagged on base), with each kernel's boot-to-boot spread."""
    rows = []
    for fs in FILESYSTEMS:
        for bs in res.values("bs", case="hot", fs=fs):
            for call in HOT_CALLS + ("preadv2-flag", "pwritev2-flag"):
                plain = call.replace("-flag", "")
                base = res.find(kernel="base", case="hot", fs=fs, bs=bs, method=plain)
                patched = res.find(kernel="patched", case="hot", fs=fs, bs=bs, method=call)
                if not timed(base) or not timed(patched):
                    continue
                flagged = call != plain
                rows.append([fs, "%d KiB" % (bs // 1024),
                             plain + (" + flag" if flagged else ""),
                             "%.2f" % base["us_per_call"], "%.2f" % patched["us_per_call"],
                             pct(rel_ratio(patched, base)), pct(spread(base, "boot_rels")),
                             pct(patched["ms_median"] / base["ms_median"]), pct(spread(base)),
                             pct(same_boot_ratio(res, fs, bs, call, plain)) if flagged else ""])
    return rows


def hot_summary(res):
    """The unflagged calls in one sentence: patched against base, and noise."""
    rel, raw, rel_noise, raw_noise, flag = [], [], [], [], []
    for fs in FILESYSTEMS:
        for bs in res.values("bs", case="hot", fs=fs):
            for call in HOT_CALLS:
                base = res.find(kernel="base", case="hot", fs=fs, bs=bs, method=call)
                patched = res.find(kernel="patched", case="hot", fs=fs, bs=bs, method=call)
                if timed(base) and timed(patched):
                    raw.append(patched["ms_median"] / base["ms_median"] - 1)
                    if rel_ratio(patched, base):
                        rel.append(rel_ratio(patched, base) - 1)
                    if spread(base):
                        raw_noise.append(spread(base) - 1)
                    if spread(base, "boot_rels"):
                        rel_noise.append(spread(base, "boot_rels") - 1)
                if call.endswith("v2"):
                    r = same_boot_ratio(res, fs, bs, call + "-flag", call)
                    if r:
                        flag.append(r - 1)
    if not raw:
        return "The hot-path comparison is incomplete (a kernel's boots are missing)."

    def span(xs):
        return "%+.1f %% to %+.1f %% (mean |x| %.1f %%)" % (
            100 * min(xs), 100 * max(xs), 100 * statistics.mean(map(abs, xs)))
    text = "Unflagged calls, patched against base: %s on the yardstick-relative figure, " \
        "%s on raw times." % (span(rel) if rel else "—", span(raw))
    if raw_noise:
        text += (" The base kernel's %d boots differ from each other by %s relative, "
                 "%s raw: that is the rig's noise, and smaller differences between the "
                 "kernels cannot be told apart here."
                 % (len(res.boots("base")), span(rel_noise) if rel_noise else "—",
                    span(raw_noise)))
    if flag:
        text += (" A flagged call on a clean file against the same call unflagged, in the "
                 "same boot: %s." % span(flag))
    return text


def scan_rows(res):
    """Each figure against the clean plain read of the same rounds."""
    rows = []
    for fs in FILESYSTEMS:
        groups = res.values("group", case="scan", fs=fs)
        for group in groups:
            cases = [("bisect", "base", group), ("flag", "patched", group),
                     ("flag+query", "patched", group)]
            if group == groups[0]:
                cases = [("read", "base", 0), ("read", "patched", 0), ("flag", "patched", 0)] + cases
            for method, kernel, k in cases:
                clean = res.find(kernel=kernel, case="scan", fs=fs, group=group, k=0, method="read")
                r = res.find(kernel=kernel, case="scan", fs=fs, group=group, k=k, method=method)
                if not timed(r):
                    continue
                bad = "%d" % k + (" (runs of %d)" % r["run_len"] if r["run_len"] > 1 else "")
                rows.append([fs, bad, method, kernel,
                             "%.3f" % (clean["ms_median"] / r["ms_median"]) if timed(clean) else "—",
                             "%.0f" % r["mb_s"], r["syscalls"], "%.4f %%" % r["good_pct"]])
    return rows


def base_methods_rows(res):
    """The base methods on the patched kernel: same outcome, and their time."""
    rows = []
    for case, methods in (("salvage", SALVAGE_METHODS), ("repair", REPAIR_METHODS)):
        for method, kernel in methods:
            if kernel != "base":
                continue
            same = total = 0
            ratios = []
            for fs in FILESYSTEMS:
                for k in res.values("k", case=case, fs=fs, method=method):
                    a = res.find(kernel="base", case=case, fs=fs, k=k, method=method)
                    b = res.find(kernel="patched", case=case, fs=fs, k=k, method=method)
                    if not timed(a) or not timed(b):
                        continue
                    total += 1
                    same += all(a.get(key) == b.get(key) for key in OUTCOME[case])
                    ratios.append(b["ms_median"] / a["ms_median"])
            if ratios:
                rows.append([case, method, "%d of %d" % (same, total),
                             "%.2f (%.2f–%.2f)" % (statistics.median(ratios), min(ratios),
                                                  max(ratios))])
    return rows


def gnuplot_block(name, points):
    return "$%s << EOD\n%s\nEOD\n" % (name, "\n".join(" ".join(str(v) for v in p) for p in points))


def plot_value(r, key):
    if key == "rewritten":
        return r["rewritten_good_bytes"] / r["k"]
    if key == "extents_added":
        return r["extents_after"] - r["extents_before"]
    return r[key]


def plot(res, path):
    """Salvage and repair cost against K, base methods against the flag."""
    # case, methods, label, value, log y, where the key leaves the lines alone
    panels = (
        ("salvage", SALVAGE_METHODS, "good bytes lost per bad sector", "lost_per_bad", False,
         "center left"),
        ("salvage", SALVAGE_METHODS, "syscalls", "syscalls", True, "bottom right"),
        ("salvage", SALVAGE_METHODS, "time (ms, median, patched boots)", "ms_median", True,
         "bottom right"),
        ("repair", REPAIR_METHODS, "good bytes rewritten per bad sector", "rewritten", False,
         "center left"),
        ("repair", REPAIR_METHODS, "extents added", "extents_added", False, "top left"),
        ("repair", REPAIR_METHODS, "time (ms, median, patched boots)", "ms_median", True,
         "bottom right"),
    )
    script = ['set terminal pngcairo size 1500,900 font ",10" noenhanced',
              'set output "%s"' % path,
              'set multiplot layout 2,3 title "RWF_RECOVERY_DATA: salvage (64 MiB file) '
              'and repair cost against K bad sectors; solid ext4, dashed xfs"',
              "set logscale x", "set xrange [0.7:400]", "set xtics (1, 16, 256)",
              "set xlabel 'K (bad sectors)'", "set grid"]
    for n, (case, methods, label, key, logy, where) in enumerate(panels):
        series = []
        for fs in FILESYSTEMS:
            for m, (method, kernel) in enumerate(methods):
                pts = []
                for k in res.values("k", case=case, fs=fs):
                    # Times from other boots would carry the host's drift:
                    # the patched kernel's boots run every method.
                    source = "patched" if key == "ms_median" else kernel
                    r = res.find(kernel=source, case=case, fs=fs, k=k, method=method)
                    if timed(r):
                        pts.append((k, plot_value(r, key)))
                if not pts:
                    continue
                name = "d%d_%s_%d" % (n, fs, m)
                script.append(gnuplot_block(name, pts))
                title = ("%s (%s)" % (method, kernel)) if fs == FILESYSTEMS[0] else ""
                series.append("$%s using 1:2 with linespoints lc %d dt %d pt %d lw 2 title '%s'"
                              % (name, m + 1, 1 if fs == FILESYSTEMS[0] else 2, m + 5, title))
        script.append("set title '%s: %s'" % (case, label))
        script.append("set logscale y" if logy else "unset logscale y")
        # Below zero a little, so that a line at zero stays in sight.
        script.append("set yrange [*:*]" if logy else "set yrange [-150:*]")
        script.append("set key %s" % where)
        script.append("set ylabel '%s'" % label)
        script.append("plot " + ", ".join(series) if series else "set multiplot next")
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True)


def kernels(res):
    lines = []
    for kernel in ("base", "patched"):
        for boot in res.boots(kernel):
            r = res.find(boot=boot, case="kernel")
            host = res.find(boot=boot, case="host")
            lines.append("- %s: %s" % (boot, (
                "`uname -r` %s, `uname -v` %s, %d MiB pmem" %
                (r["release"], str(r["version"]).replace("_", " "), r["pmem_mib"])
                if r else "did not report (boot failed?)")
                + (", host load before the boot %s" % host["load1"] if host else "")))
    return "\n".join(lines)


def reps(res):
    r = res.find(case="info")
    if not r:
        return "unknown"
    return ("salvage and repair %d, hot path %d, scan %d repetitions per figure and boot "
            "(after one warm-up round); %d boots of each kernel"
            % (r["reps"], r["hot_reps"], r["scan_reps"], len(res.boots("base"))))


def tables(res):
    errors = [r for r in res.records if r.get("case") == "error" or "error" in r]
    parts = [
        "### Salvage: a 64 MiB file with K bad sectors\n\n" + table(
            ["fs", "K", "method", "kernel", "good bytes back", "lost B / bad sector",
             "syscalls", "ms median (min–max)", "time / flag's, same boots"],
            salvage_rows(res)),
        "### Repair: the K bad sectors from a replica\n\n" + table(
            ["fs", "K", "method", "kernel", "syscalls", "ms median (min–max)",
             "time / flag's, same boots", "extents before → after", "good bytes rewritten",
             "bad sectors left", "data ok"],
            repair_rows(res)),
        "### Base methods on the patched kernel (U5)\n\n" + table(
            ["case", "method", "same outcome as on base", "time patched / base, median (range)"],
            base_methods_rows(res)),
        "### Hot path: a clean 64 MiB file, one pass per repetition\n\n" + table(
            ["fs", "size", "call", "base µs/call", "patched µs/call", "patched vs base",
             "base boot to boot", "raw: patched vs base", "raw: base boot to boot",
             "flag vs no flag, same boot"], hot_rows(res))
        + "\n\n" + hot_summary(res),
        "### Scan: the flagged loop over a 1 GiB file\n\n" + table(
            ["fs", "bad sectors", "method", "kernel", "throughput / clean read",
             "MB/s", "syscalls", "good bytes back"], scan_rows(res)),
    ]
    if errors:
        parts.append("### Errors\n\n" + "\n".join(
            "- `%s`" % " ".join("%s=%s" % kv for kv in r.items()) for r in errors))
    return "\n\n".join(parts)


METHODS = """\
Methods.  Every figure comes from `rig/tools/dax-bench.c` in the guest.  Bad
sectors are picked at random file offsets from a fixed seed (the same on
every kernel and file system), mapped to disk sectors with FIEMAP and
poisoned through `/sys/block/pmem0/badblocks`.  "syscalls" counts the calls
that read, write, allocate, sync or map the file or the disk (open and close
left out).  Times are CLOCK_MONOTONIC.  Within a boot the methods compared
take turns in every repetition, after a warm-up round, so that a slow spell
of the host hits them alike.  "kernel" says which kernel's boots a row
comes from; a time is the median over that kernel's boots of each boot's
median, with the fastest and the slowest repetition of all its boots.
The host's speed drifts by tens of percent over minutes (TCG on a shared
2-core machine), so times from different boots compare badly: the patched
kernel also runs every base method (with the same outcome, see U5), and
"time / flag's, same boots" sets a method against the flag within the
patched kernel's boots.

- Salvage, base: `page` reads 4 KiB at a time and loses each page that fails;
  `bisect` reads 1 MiB at a time and splits a failing read in halves down to
  single pages (same bytes, fewer calls); `bisect+raw` (root only) then reads
  the lost pages' sectors from `/dev/pmem0` with O_DIRECT 512-byte reads at
  the disk sectors FIEMAP gives: it gets every good byte, but it bypasses the
  file system and needs root.  Patched: `flag` is the README's loop, 1 MiB
  `preadv2(RWF_RECOVERY_DATA)` calls, skipping 512 bytes on EIO.  Good bytes
  are checked against the pattern the file was written with.
- Repair (the bad sectors' locations known, the replica in memory, each
  repetition on a freshly written and damaged file; an fdatasync ends every
  method): `page-rewrite` writes the whole aligned pages holding bad sectors
  (the only unflagged write that clears poison); `punch-write` punches the
  pages out, allocates them again (`fallocate(KEEP_SIZE)`, as libpmem2's
  bad-block clear does for fsdax files) and writes them; `flag` is one
  `pwritev2(RWF_RECOVERY_DATA)` per run of bad sectors.  "bad sectors left"
  counts the entries still in the disk's bad-block list: a punched block goes
  back to the free space still poisoned.
- Hot path: each repetition makes one pass over the whole clean file with each
  call in turn (4 KiB or 1 MiB calls), each pass right after a yardstick
  pass: user-space memcpy of as many bytes in pieces of the same size.
  "patched vs base" is the ratio of the medians of pass time / yardstick
  time, which cancels the host's drift between boots; "raw" is the same on
  plain times.  A flagged call on the patched kernel is set against the same
  call unflagged on the base kernel, and against the unflagged call in the
  same boot.  "boot to boot": the slowest of the base kernel's boots over
  its fastest (each boot's median), the rig's noise.
- Scan: a 1 GiB file read with 1 MiB calls.  Every repetition reads the file
  clean (plain reads: the reference; and the flagged loop), then poisons it
  and salvages it (bisection on base, the flagged loop on patched).  The
  kernel's bad-block list holds at most 512 ranges, so 4096 bad sectors are
  placed as 256 runs of 16.
"""


def page(res, args):
    return """# RWF_RECOVERY_DATA benchmark, {date}

Produced by `scripts/bench.sh` (`make bench`) in {runtime}.

Kernels: Debian `linux-source-6.12` {debian}, without and with the series
(the patched kernel as built from `build/linux`, which stood at `{series}`
when the run began), built with the same config:

{kernels}

Rig: QEMU {qemu} under TCG (no KVM) on a 2-core host, `-smp 2`, 3 GiB of
guest memory of which 1.5 GiB is a legacy `memmap=1536M!1G` pmem disk
(poison can always be cleared); ext4 (`-b 4096`) and xfs (`-m reflink=0`)
made afresh on it and mounted `-o dax`.  TCG makes absolute times
meaningless for real hardware: read the ratios and counts.  The kernels'
boots alternate (base, patched, base, ...).  Repetitions: {reps}.

{methods}
{tables}

![salvage and repair cost against K](benchmark.png)
""".format(date=args.date, runtime=args.runtime, debian=args.debian, series=args.series,
           kernels=kernels(res), qemu=args.qemu, reps=reps(res), methods=METHODS,
           tables=tables(res))


def main():
    ap = argparse.ArgumentParser()
    for opt in ("date", "runtime", "debian", "series", "qemu"):
        ap.add_argument("--" + opt, default="unknown")
    ap.add_argument("results")
    ap.add_argument("page")
    ap.add_argument("plot")
    args = ap.parse_args()

    res = Results(parse(args.results))
    if not res.records:
        sys.exit("bench-report: no results in %s" % args.results)
    print(tables(res))
    with open(args.page, "w") as f:
        f.write(page(res, args))
    plot(res, args.plot)


if __name__ == "__main__":
    main()
