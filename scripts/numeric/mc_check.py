#!/usr/bin/env python3
"""Quick Monte Carlo of the finite random-feature model (THEORY E1-E6) with
numpy, to check the DMFT two-point formulas (E15-E16a) at one parameter set
while the project's own simulator (src/simulation) is being built. Not a
fixture generator: prints mean and standard error of the test loss, train
loss and the E-member ensemble loss L_E at a few times, as JSON.

Exact gradient flow: with Phi = Psi A^T / sqrt(N) (P x N) and
K = Phi^T Phi / P = V diag(e) V^T, w(t) = V diag((1 - e^{-e t}) / e) V^T Phi^T y / P.

Usage: python3 scripts/numeric/mc_check.py a b M N P sigma seeds E
"""
import json
import sys
import numpy as np

a, b, M, N, P, sigma, seeds, E = (float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
                                   int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]))
ts = np.array([0.1, 1.0, 10.0, 100.0, 1000.0, 1e4])
k = np.arange(1, M + 1)
lam = k ** -b
c = k ** -a
wstar = np.sqrt(c / lam)
rng = np.random.default_rng(12345)
test, train, ens = [], [], []
for seed in range(seeds):
    Z = rng.standard_normal((P, M))
    Psi = Z * np.sqrt(lam)
    y = Psi @ wstar + sigma * rng.standard_normal(P)
    vs = []
    tr_runs = []
    te_runs = []
    for e in range(E):
        A = rng.standard_normal((N, M))
        Phi = Psi @ A.T / np.sqrt(N)
        Kmat = Phi.T @ Phi / P
        ev, V = np.linalg.eigh(Kmat)
        ev = np.maximum(ev, 0)
        bvec = V.T @ (Phi.T @ y / P)
        te = []
        tr = []
        vv = []
        for t in ts:
            with np.errstate(divide='ignore', invalid='ignore'):
                f = np.where(ev > 1e-14, -np.expm1(-ev * t) / np.where(ev > 1e-14, ev, 1), t)
            w = V @ (f * bvec)
            v = wstar - A.T @ w / np.sqrt(N)
            te.append(v @ (lam * v) + sigma ** 2)
            r = Phi @ w - y
            tr.append(r @ r / P)
            vv.append(v)
        te_runs.append(te)
        tr_runs.append(tr)
        vs.append(vv)
    vbar = np.mean(np.array(vs), axis=0)  # (len(ts), M): E-member ensemble residual
    ens.append([vb @ (lam * vb) + sigma ** 2 for vb in vbar])
    test.append(np.mean(te_runs, axis=0))
    train.append(np.mean(tr_runs, axis=0))
out = {"t": ts.tolist()}
for name, arr in [("test", test), ("train", train), ("ensemble", ens)]:
    arr = np.array(arr)
    out[name] = arr.mean(axis=0).tolist()
    out[name + "_se"] = (arr.std(axis=0, ddof=1) / np.sqrt(len(arr))).tolist()
print(json.dumps(out))
