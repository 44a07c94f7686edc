#!/usr/bin/env python3
"""One realisation of the simulator's gradient flow in numpy, the baseline
that bench/simulation.ts times the simulator's runSeed against (same sizes,
same spectrum, target, times and noise levels, handed over as JSON on stdin).

The computation is src/simulation/seed.ts's feature form (N <= P) step for
step: draw Z (P x M) and Psi = Z Lambda^{1/2}, labels y0 = Psi w*, noise eps,
A^T / sqrt(N) (M x N); Phi = Psi A^T / sqrt(N) (THEORY E3); the kernel
K = Phi^T Phi / P and b = Phi^T y / P for the signal and the noise labels;
K = U diag(mu) U^T (numpy.linalg.eigh); w(t) = U g_t(mu) U^T b with
g_t(x) = (1 - e^{-x t}) / x (THEORY E5) for every time; the train loss from
beta = U^T b; v(t) = w* - A^T w(t) / sqrt(N) and the test loss
v^T Lambda v + sigma^2 (E6) for every sigma. Draws by
numpy.random.default_rng (ziggurat), so the numbers are not ours; only the
work is the same.

Input (stdin): {"lambda": [...], "wstar": [...], "t": [...], "sigmas": [...], "sizes": [n, ...], "repeats": 3}
(N = P = n for each n). Output: one JSON object with numpy's version and, per
n, the least wall and process CPU time over the repeats (CPU counts every BLAS
thread; the caller sets the thread count through OPENBLAS_NUM_THREADS).
"""
import json
import sys
import time

import numpy as np


def realisation(rng, lam, wstar, t, sigmas, n):
    M = lam.size
    N = P = n
    Psi = rng.standard_normal((P, M)) * np.sqrt(lam)
    y0 = Psi @ wstar
    eps = rng.standard_normal(P)
    At = rng.standard_normal((M, N)) / np.sqrt(N)
    Phi = Psi @ At
    K = (Phi.T @ Phi) / P
    b = Phi.T @ np.stack([y0, eps], axis=1) / P  # N x 2
    mu, U = np.linalg.eigh(K)
    beta = U.T @ b  # N x 2
    mut = np.outer(mu, t)
    safe = np.where(mu > 0, mu, 1.0)[:, None]
    g = np.where(mu[:, None] > 0, -np.expm1(-mut) / safe, t[None, :])
    h = np.exp(-mut)
    T = t.size
    X = np.concatenate([g * beta[:, :1], g * beta[:, 1:]], axis=1)  # N x 2T
    W = U @ X
    V = At @ W  # M x 2T
    tol = N * np.finfo(float).eps * max(mu[-1], 0.0)
    live = mu > tol
    test = np.empty((len(sigmas), T))
    train = np.empty((len(sigmas), T))
    for s, sigma in enumerate(sigmas):
        y = y0 + sigma * eps
        bs = beta[:, 0] + sigma * beta[:, 1]
        w2 = np.where(live, bs * bs / safe[:, 0], 0.0)
        perp = max(0.0, y @ y - P * w2.sum()) / P
        train[s] = perp + (w2[:, None] * h * h).sum(axis=0)
        v = wstar[:, None] - V[:, :T] - sigma * V[:, T:]
        test[s] = lam @ (v * v) + sigma * sigma
    return test, train


def main():
    spec = json.load(sys.stdin)
    lam = np.asarray(spec["lambda"], dtype=float)
    wstar = np.asarray(spec["wstar"], dtype=float)
    t = np.asarray(spec["t"], dtype=float)
    sigmas = [float(s) for s in spec["sigmas"]]
    repeats = int(spec.get("repeats", 3))
    rng = np.random.default_rng(1)
    out = {"numpy": np.__version__, "sizes": []}
    for n in spec["sizes"]:
        realisation(rng, lam, wstar, t, sigmas, n)  # warm-up (BLAS thread pool, page faults)
        wall = cpu = float("inf")
        for _ in range(repeats):
            w0, c0 = time.perf_counter(), time.process_time()
            realisation(rng, lam, wstar, t, sigmas, n)
            c1, w1 = time.process_time(), time.perf_counter()
            if (c1 - c0) < cpu / 1e3:
                wall, cpu = (w1 - w0) * 1e3, (c1 - c0) * 1e3
        out["sizes"].append({"n": n, "wall_ms": wall, "cpu_ms": cpu})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
