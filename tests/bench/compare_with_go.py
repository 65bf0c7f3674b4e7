#!/usr/bin/env python3
"""Runs chanscope_bench and the Go 1.19 reference (go_reference/run.sh) back to back on this
machine and prints items/s side by side, with the ratio ChanScope / Go. (What telemetry costs:
telemetry_cost.py.)

  tests/bench/compare_with_go.py [--bench build/release/tests/bench/chanscope_bench]
                                 [--repetitions 5] [--min-time 0.3] [--filter LocalCache]
                                 [--rounds 1]

Both sides report medians: ours over --repetitions (randomly interleaved), Go's over as many
-count runs. --rounds N alternates the two suites N times and takes the median of the rounds'
medians, so that a slow spell of a shared machine does not land on one side only.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def run_chanscope(binary, repetitions, min_time, pattern):
    out = subprocess.run(
        [binary, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={repetitions}",
         "--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=true",
         "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        # BM_X/real_time/threads:2 is Go's BM_X (GOMAXPROCS sets the threads there).
        name = re.sub(r"/real_time|/threads:\d+", "", b["run_name"])
        medians[name] = b["items_per_second"]
    return medians


def run_go(benchtime, count, pattern):
    env = dict(os.environ, BENCH=pattern or ".")
    out = subprocess.run([str(HERE / "go_reference" / "run.sh"), benchtime, f"-count={count}"],
                         check=True, capture_output=True, text=True, env=env).stdout
    runs = {}
    for line in out.splitlines():
        m = re.match(r"Benchmark(\S+?)(?:-\d+)?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) items/s", line)
        if m:
            runs.setdefault("BM_" + m.group(1), []).append(float(m.group(2)))
    return {name: statistics.median(r) for name, r in runs.items()}


def median_of_rounds(rounds):
    names = set().union(*rounds)
    return {n: statistics.median([r[n] for r in rounds if n in r]) for n in names}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", default="build/release/tests/bench/chanscope_bench")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.3)
    p.add_argument("--go-benchtime", default="1s")
    p.add_argument("--filter", default="", help="a regex both suites run only the matches of")
    p.add_argument("--rounds", type=int, default=1)
    args = p.parse_args()

    ours_rounds, go_rounds = [], []
    for _ in range(args.rounds):
        ours_rounds.append(run_chanscope(args.bench, args.repetitions, args.min_time,
                                         args.filter or "-NoTelemetry"))
        go_rounds.append(run_go(args.go_benchtime, args.repetitions, args.filter))
    ours, go = median_of_rounds(ours_rounds), median_of_rounds(go_rounds)

    print(f"{'benchmark':32} {'chanscope items/s':>18} {'Go 1.19 items/s':>16} {'ratio':>7}")
    behind = 0
    for name, rate in sorted(ours.items()):
        # The same shape in Go, or one run per Go library (BM_LocalCacheGetHit/go-cache).
        refs = [(name, go[name])] if name in go else [
            (g, r) for g, r in go.items() if g.startswith(name + "/") and not g[len(name) + 1:].isdigit()]
        for label, ref in refs or [(name, None)]:
            ratio = f"{rate / ref:6.2f}x" if ref else "     -"
            if ref and rate < ref:
                behind += 1
            print(f"{label:32} {rate / 1e6:16.2f}M {ref / 1e6 if ref else 0:14.2f}M {ratio:>7}")

    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main())
