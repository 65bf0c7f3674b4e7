#!/usr/bin/env python3
"""What telemetry costs: runs each channel benchmark and its _NoTelemetry twin, interleaved in
random order, and prints the median items/s of each and the loss. Only these pairs run, so the
figure is not swamped by the noise of a long suite on a shared machine.

  tests/bench/telemetry_cost.py [--bench build/release/tests/bench/chanscope_bench]
                                [--repetitions 30] [--min-time 0.2]
"""
import argparse
import json
import re
import statistics
import subprocess
import sys

TWINNED = "BM_ChanPingPong|BM_ChanProdCons|BM_ChanMPMC|BM_Select2"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", default="build/release/tests/bench/chanscope_bench")
    p.add_argument("--repetitions", type=int, default=30)
    p.add_argument("--min-time", type=float, default=0.2)
    p.add_argument("--limit", type=float, default=10.0, help="allowed loss in percent")
    args = p.parse_args()

    out = subprocess.run(
        [args.bench, f"--benchmark_filter={TWINNED}", f"--benchmark_min_time={args.min_time}",
         f"--benchmark_repetitions={args.repetitions}", "--benchmark_enable_random_interleaving=true",
         "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    runs = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "iteration":
            runs.setdefault(b["run_name"].replace("/real_time", ""), []).append(b["items_per_second"])

    print(f"{'benchmark':24} {'on items/s':>11} {'off items/s':>12} {'loss':>7} {'cv on':>6} {'cv off':>7}")
    over = 0
    for name, on in runs.items():
        twin = re.sub(r"^(BM_\w+?)(/|$)", r"\1_NoTelemetry\2", name, count=1)
        if twin == name or twin not in runs:
            continue
        off = runs[twin]
        loss = 100 * (1 - statistics.median(on) / statistics.median(off))
        over += loss > args.limit
        cv = lambda xs: 100 * statistics.stdev(xs) / statistics.mean(xs)
        print(f"{name:24} {statistics.median(on) / 1e6:10.2f}M {statistics.median(off) / 1e6:11.2f}M "
              f"{loss:6.1f}% {cv(on):5.1f}% {cv(off):6.1f}%")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
