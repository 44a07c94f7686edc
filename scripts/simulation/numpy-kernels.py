#!/usr/bin/env python3
"""Times numpy's matrix product A @ B (m x k times k x n, float64) and its
normal draws (numpy.random.default_rng().standard_normal(count)), the
baselines that bench/simulation.ts reports the simulator's product kernel and
normal generator against in the same run.

Usage: python3 scripts/simulation/numpy-kernels.py --matmul 1024 2000 1024 --normals 4000000 [--repeats 3]
Prints one JSON object: numpy version, the thread-related environment
variables as this process sees them, and the best-of-repeats time of each
(wall ms and process CPU ms: the CPU counts every BLAS thread). The caller
decides the thread count (bench/simulation.ts runs this once with one BLAS
thread and once with numpy's default pool).
"""
import json
import os
import sys
import time

import numpy as np


def best(f, repeats):
    wall = cpu = float("inf")
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        f()
        c1, w1 = time.process_time(), time.perf_counter()
        if w1 - w0 < wall:
            wall, cpu = (w1 - w0) * 1e3, (c1 - c0) * 1e3
    return wall, cpu


def main():
    args = sys.argv[1:]
    repeats = 3
    m = k = n = 0
    count = 0
    if "--repeats" in args:
        repeats = int(args[args.index("--repeats") + 1])
    if "--matmul" in args:
        i = args.index("--matmul")
        m, k, n = (int(x) for x in args[i + 1 : i + 4])
    if "--normals" in args:
        count = int(args[args.index("--normals") + 1])
    out = {"numpy": np.__version__, "repeats": repeats, "env": {}}
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if key in os.environ:
            out["env"][key] = os.environ[key]
    rng = np.random.default_rng(7)
    if m > 0:
        a = rng.standard_normal((m, k))
        b = rng.standard_normal((k, n))
        a @ b  # warm-up (thread pool start)
        wall, cpu = best(lambda: a @ b, repeats)
        out["matmul"] = {"m": m, "k": k, "n": n, "wall_ms": wall, "cpu_ms": cpu}
    if count > 0:
        rng.standard_normal(count)
        wall, cpu = best(lambda: rng.standard_normal(count), repeats)
        out["normals"] = {"count": count, "wall_ms": wall, "cpu_ms": cpu}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
