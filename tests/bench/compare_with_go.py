#!/usr/bin/env python3
"""Runs chanscope_bench and the Go 1.19 reference (go_reference/run.sh) back to back on this
machine and prints items/s side by side, with the ratio ChanScope / Go. (What telemetry costs:
telemetry_cost.py.)

  tests/bench/compare_with_go.py [--bench build/release/tests/bench/chanscope_bench]
                                 [--repetitions 5] [--min-time 0.3]
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def run_chanscope(binary, repetitions, min_time):
    out = subprocess.run(
        [binary, "--benchmark_filter=-NoTelemetry", f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={repetitions}",
         "--benchmark_enable_random_interleaving=true", "--benchmark_report_aggregates_only=true",
         "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"].replace("/real_time", "")
        medians[name] = b["items_per_second"]
    return medians


def run_go(benchtime):
    out = subprocess.run([str(HERE / "go_reference" / "run.sh"), benchtime], check=True,
                         capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.match(r"Benchmark(\S+?)(?:-\d+)?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) items/s", line)
        if m:
            rates["BM_" + m.group(1)] = float(m.group(2))
    return rates


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", default="build/release/tests/bench/chanscope_bench")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.3)
    p.add_argument("--go-benchtime", default="1s")
    args = p.parse_args()

    ours = run_chanscope(args.bench, args.repetitions, args.min_time)
    go = run_go(args.go_benchtime)

    print(f"{'benchmark':32} {'chanscope items/s':>18} {'Go 1.19 items/s':>16} {'ratio':>7}")
    behind = 0
    for name, rate in ours.items():
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
