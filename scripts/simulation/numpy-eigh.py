#!/usr/bin/env python3
"""Times numpy.linalg.eigh and numpy.linalg.eigvalsh (LAPACK through numpy's
BLAS/LAPACK) on random symmetric matrices, the baseline that bench/simulation.ts
reports the simulator's eigensolvers against in the same run.

Usage: python3 scripts/simulation/numpy-eigh.py 512 1024 [--repeats 3]
Prints one JSON object: numpy version, the BLAS configuration numpy reports,
the thread-related environment variables as seen by this process, and per n
the best-of-repeats wall time (ms) of eigh (values and vectors) and eigvalsh.
The caller decides the thread count (bench/simulation.ts runs this with one
BLAS thread, like the single-threaded TypeScript solver); OPENBLAS_CORETYPE
is left as the environment has it.
"""
import io
import json
import os
import sys
import time
from contextlib import redirect_stdout

import numpy as np


def best_ms(f, repeats):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        best = min(best, (time.perf_counter() - t0) * 1e3)
    return best


def main():
    args = sys.argv[1:]
    repeats = 3
    if "--repeats" in args:
        i = args.index("--repeats")
        repeats = int(args[i + 1])
        del args[i : i + 2]
    sizes = [int(a) for a in args] or [512, 1024]
    rng = np.random.default_rng(7)
    out = {"numpy": np.__version__, "repeats": repeats, "env": {}, "sizes": []}
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if key in os.environ:
            out["env"][key] = os.environ[key]
    buf = io.StringIO()
    with redirect_stdout(buf):
        try:
            np.show_config()
        except Exception:  # show_config's format differs between versions; it is information only
            pass
    lines = [ln.strip() for ln in buf.getvalue().splitlines()]
    out["blas"] = [ln for ln in lines if ln.startswith("name:") or ln.startswith("openblas configuration:")][:4]
    for n in sizes:
        x = rng.standard_normal((n, n))
        a = (x + x.T) / 2
        np.linalg.eigh(a)  # warm-up
        out["sizes"].append(
            {
                "n": n,
                "eigh_ms": best_ms(lambda: np.linalg.eigh(a), repeats),
                "eigvalsh_ms": best_ms(lambda: np.linalg.eigvalsh(a), repeats),
            }
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
