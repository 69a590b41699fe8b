#!/usr/bin/env python3
"""bench/report.py: turn the medians bench/run collected into RESULTS.md.

usage: report.py RESULTS.tsv RSS.tsv SCALE RUNS CAIRN
RESULTS.tsv: shape, operation, tool, median s, stddev s (one line per tool).
RSS.tsv: shape, operation, peak resident KiB of cairn.
"""
import datetime
import os
import platform
import subprocess
import sys

SHAPES = ["big", "many", "medium"]
OPS = [
    ("add", "add"),
    ("hash", "hash only (status, no state db)"),
    ("status", "status, no change"),
    ("status-touch", "status, 1 file touched"),
    ("commit", "commit, 1 file changed"),
    ("checkout", "checkout after deleting (copy)"),
    ("checkout-hardlink", "checkout after deleting (hardlink)"),
    ("gc", "gc -w"),
]
PEERS = ["git-lfs", "git-annex"]
# (shape, operation) -> ratio the issue asks for against the floor
TARGETS = {
    ("big", "add"): 1.2,
    ("many", "add"): 1.3,
    ("many", "hash"): 1.2,
    ("many", "status"): 1.5,
    ("many", "status-touch"): 1.5,
    ("many", "checkout"): 1.3,
    ("many", "checkout-hardlink"): 1.5,
    ("big", "checkout"): 1.2,
}
RSS_TARGET = {("big", "add"): 32 * 1024}
# measured by the author, for the record (median s: big, medium, many)
DVC = {"add": (4.6, 9.0, 21.7), "status": (1.27, 1.86, 3.28), "checkout": (1.93, 3.64, 23.2)}


def cmd(args):
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "not found"


def secs(v):
    if v is None:
        return "–"
    return "%.3f" % v if v < 10 else "%.1f" % v


def main():
    results, rss_file, scale, runs, cairn = sys.argv[1:6]
    med = {}
    for line in open(results):
        shape, op, tool, m, _sd = line.rstrip("\n").split("\t")
        med[(shape, op, tool)] = float(m)
    rss = {}
    for line in open(rss_file):
        shape, op, kib = line.rstrip("\n").split("\t")
        if kib:
            rss[(shape, op)] = int(kib)
    shapes = [s for s in SHAPES if any(k[0] == s for k in med)]

    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = []
    w = out.append
    w("# cairn benchmark results")
    w("")
    w("Written by `bench/run` (see its head comment); each operation is one hyperfine run")
    w("over every tool on the same data, warm page cache. Times are medians in seconds;")
    w("*ratio* is cairn over the floor, *target* the ratio issue 3 asks for.")
    w("")
    if scale != "1":
        w("**Trial run at scale 1/%s (`--quick`): these numbers only show that the benchmark"
          " runs; they are not results.**" % scale)
        w("")
    w("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    w("- machine: %s, %d CPUs, Linux %s" % (cpu, os.cpu_count() or 0, platform.release()))
    w("- cairn: %s (`%s`)" % (cmd([cairn, "version"]), cairn))
    w("- %s; %s; %s" % (cmd(["hyperfine", "--version"]), cmd(["openssl", "version"]),
                         cmd(["git", "--version"])))
    w("- %s; git-annex %s" % (cmd(["git", "lfs", "version"]),
                               cmd(["git", "annex", "version", "--raw"])))
    w("- runs per command: %s; data scale: 1/%s" % (runs, scale))
    w("")
    verdicts = []
    for shape in shapes:
        w("## %s" % shape)
        w("")
        w("| operation | cairn | floor | floor s | ratio | target | git-lfs | git-annex | cairn peak RSS |")
        w("|---|---|---|---|---|---|---|---|---|")
        for op, title in OPS:
            tools = {k[2]: v for k, v in med.items() if k[0] == shape and k[1] == op}
            if "cairn" not in tools:
                continue
            c = tools["cairn"]
            floors = [t for t in tools if t != "cairn" and t not in PEERS]
            floor = floors[0] if floors else None
            ratio = c / tools[floor] if floor and tools[floor] > 0 else None
            target = TARGETS.get((shape, op))
            tcell = "–"
            if target is not None and ratio is not None:
                okay = ratio <= target
                tcell = "≤ %.1f %s" % (target, "met" if okay else "**missed**")
                verdicts.append((shape, title, ratio, target, okay))
            peers = []
            for p in PEERS:
                v = tools.get(p)
                if v is None:
                    peers.append("–")
                else:
                    peers.append("%s (%s)" % (secs(v), "cairn faster" if c < v else "**slower**"))
            kib = rss.get((shape, op))
            rcell = "%.1f MiB" % (kib / 1024) if kib else "–"
            if (shape, op) in RSS_TARGET and kib:
                rcell += " (≤ %d MiB %s)" % (RSS_TARGET[(shape, op)] // 1024,
                                             "met" if kib <= RSS_TARGET[(shape, op)] else "**missed**")
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                title, secs(c), floor or "–", secs(tools.get(floor)) if floor else "–",
                "%.2f" % ratio if ratio is not None else "–", tcell, peers[0], peers[1], rcell))
        w("")
    if verdicts:
        w("## Targets")
        w("")
        for shape, title, ratio, target, okay in verdicts:
            w("- %s, %s: %.2f× the floor (target ≤ %.1f): %s" % (
                shape, title, ratio, target, "met" if okay else "MISSED"))
        w("")
    w("## DVC, for the record")
    w("")
    w("DVC is not installed here; issue 3 gives these medians (s) measured by its author with")
    w("DVC 3.64: add %s, status %s, checkout %s (big / medium / many)." % tuple(
        " / ".join("%g" % x for x in DVC[k]) for k in ("add", "status", "checkout")))
    w("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
