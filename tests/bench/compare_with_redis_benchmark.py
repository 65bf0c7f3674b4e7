#!/usr/bin/env python3
"""Runs `chanscope redis bench` and `redis-benchmark` with the same -c/-n/-P/-d/-t against one
redis-server, alternating the two --rounds times per pipeline depth, and prints the median
requests/s of each with the ratio chanscope / redis-benchmark. Exits 1 if any ratio is below
--min-ratio (0.9: issue 5's figure).

  tests/bench/compare_with_redis_benchmark.py [--chanscope build/release/app/chanscope]
      [--port P (a running server; default: a private one on a free port)] [-c 50] [-n 200000]
      [-d 3] [--pipelines 1,16] [--rounds 5]
"""
import argparse
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp):
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("redis-server did not start")


def ours(binary, port, a, pipeline):
    out = subprocess.run([binary, "redis", "bench", "--url", f"redis://127.0.0.1:{port}", "-c", str(a.c),
                          "-n", str(a.n), "-P", str(pipeline), "-d", str(a.d), "-t", "set,get"],
                         check=True, capture_output=True, text=True).stdout
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+): ([\d.]+) requests per second", out, re.M)}


def theirs(port, a, pipeline):
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-q", "-c", str(a.c), "-n", str(a.n), "-P", str(pipeline),
                          "-d", str(a.d), "-t", "set,get"], check=True, capture_output=True, text=True).stdout
    out = out.replace("\r", "\n")
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+): ([\d.]+) requests per second", out, re.M)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chanscope", default="build/release/app/chanscope")
    p.add_argument("--port", type=int)
    p.add_argument("-c", type=int, default=50)
    p.add_argument("-n", type=int, default=200000)
    p.add_argument("-d", type=int, default=3)
    p.add_argument("--pipelines", default="1,16")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--min-ratio", type=float, default=0.9)
    a = p.parse_args()

    server = None
    with tempfile.TemporaryDirectory() as tmp:
        port = a.port
        if port is None:
            server, port = start_server(tmp)
        try:
            print(f"{'':8} {'test':5} {'chanscope':>12} {'redis-benchmark':>16} {'ratio':>7}")
            worst = float("inf")
            for pipeline in [int(x) for x in a.pipelines.split(",")]:
                mine, ref = {}, {}
                for _ in range(a.rounds):
                    for test, rate in ours(a.chanscope, port, a, pipeline).items():
                        mine.setdefault(test, []).append(rate)
                    for test, rate in theirs(port, a, pipeline).items():
                        ref.setdefault(test, []).append(rate)
                for test in mine:
                    m, r = statistics.median(mine[test]), statistics.median(ref[test])
                    worst = min(worst, m / r)
                    print(f"-P {pipeline:<5} {test:5} {m:12.0f} {r:16.0f} {m / r:6.2f}x")
        finally:
            if server:
                server.terminate()
                server.wait()
    sys.exit(0 if worst >= a.min_ratio else 1)


if __name__ == "__main__":
    main()
