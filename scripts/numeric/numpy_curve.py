#!/usr/bin/env python3
"""A vectorised numpy implementation of the DMFT loss curve (THEORY E9-E16a),
the baseline of bench/numeric.ts ("same equations, equal accuracy").

Input (JSON file, written by bench/numeric.ts): the mode set (lambda, c,
weight), N, P, sigma, and the contour schedules (nodes, weights, real
crossings per group) of the two passes the TypeScript solver runs (primary
and error-estimate pass) plus their schedules at 2t for the train-noise term.
This script does everything else the way a numpy user would: kappa(s) by
continuation along each contour (Newton, E15a), H_k(s) = kappa/(s (kappa +
lambda_k)) as an n x K matrix, the pair sums of (E15b) as complex matrix
products (H W) H^T and (H W) conj(H)^T, the closed forms (E15c-d, E16, E16a)
on n x n arrays, the product-rule double inversion with einsum, the bias by
per-mode inversion (E14), and the train noise sigma^2 [1 - ILT[Q/(sP)](2t)].

Timed inside Python as CPU time (time.process_time, all threads; the least of
`repeats` runs after one warm-up, robust against other load on the machine),
excluding reading the JSON. Output JSON: ms and the values.

Run: python3 scripts/numeric/numpy_curve.py input.json
"""
import json
import sys
import time

import numpy as np


def solve_group(lam, w, inv_n, inv_p, s, start):
    """kappa at nodes s (complex, in path order) continued from the real point `start` (E15a)."""
    wl = w * lam

    def g_dg(k):
        inv = 1.0 / (k + lam)
        t = wl * inv
        return t.sum(), -(t * inv).sum()

    def phi(k):
        g, dg = g_dg(k)
        a1 = 1 - g * inv_p
        a3 = 1 - g * inv_n
        return k * a1 * a3, a1 * a3 - k * dg * (a3 * inv_p + a1 * inv_n), g

    # Real start: Newton on phi(kappa) = start from kappa = start + tr (1/N + 1/P) (phi(kappa) <= kappa).
    k = start + wl.sum() * (inv_n + inv_p)
    for _ in range(100):
        f, df, _ = phi(k)
        step = (f - start) / df
        k_new = k - step
        if k_new <= 0:
            k_new = k / 2
        if abs(k_new - k) <= 1e-15 * abs(k):
            k = k_new
            break
        k = k_new
    kap = np.empty(len(s), dtype=complex)
    q = np.empty(len(s), dtype=complex)
    prev_s = complex(start)
    k = complex(k)
    for j, sj in enumerate(s):
        _, df, _ = phi(k)
        k = k + (sj - prev_s) / df
        for _ in range(50):
            f, df, _ = phi(k)
            step = (f - sj) / df
            k -= step
            if abs(step) <= 1e-14 * abs(k):
                break
        kap[j] = k
        q[j] = g_dg(k)[0]
        prev_s = sj
    return kap, q


def one_pass(modes, inv_n, inv_p, sig2, sched, sched2, T):
    lam = np.asarray(modes["lambda"], dtype=float)
    c = np.asarray(modes["c"], dtype=float)
    w = np.asarray(modes["weight"], dtype=float)
    L2, L1, C0, C1 = w * lam * lam, w * lam, w * c, w * lam * c
    out = {q: np.zeros(T) for q in ("test", "train", "bias", "testA")}
    for g in sched["groups"]:
        s = np.asarray(g["re"], dtype=float) + 1j * np.asarray(g["im"], dtype=float)
        V = np.asarray(g["wRe"], dtype=float).reshape(-1, len(s)) + 1j * np.asarray(g["wIm"], dtype=float).reshape(-1, len(s))
        kap, qv = solve_group(lam, w, inv_n, inv_p, s, g["crossing"])
        R = s / kap
        A = kap / s
        if inv_p <= inv_n:
            R1 = 1 - qv * inv_p
        else:
            R1 = R / (1 - qv * inv_n)
        H = A[:, None] / (kap[:, None] + lam[None, :])  # E15a
        Hc = np.conj(H)
        i0, i1 = g["tStart"], g["tEnd"]
        # bias (E14): per-mode inversion
        h = 2 * np.real(V @ H)
        out["bias"][i0:i1] = (h * h) @ C0
        for which, Hb, sgn in (("same", H, 1), ("cross", Hc, -1)):
            Gam = (H * L2) @ Hb.T
            S = (H * L1) @ Hb.T
            B0 = (H * C0) @ Hb.T
            B1 = (H * C1) @ Hb.T
            sb = s if sgn == 1 else np.conj(s)
            Rb = R if sgn == 1 else np.conj(R)
            R1b = R1 if sgn == 1 else np.conj(R1)
            RR = R[:, None] * Rb[None, :]
            ss = s[:, None] * sb[None, :]
            gN = RR * Gam * inv_n
            gP = RR * Gam * inv_p
            D = (RR * S * inv_n) / (1 - gN) if inv_n != 0 else np.zeros_like(Gam)
            c1 = gP + ss * S * D * inv_p
            lsig = (B0 + D * B1) / (1 - c1)  # E15d
            test = lsig + (sig2 * c1 / (ss * (1 - c1)) if sig2 else 0)
            train = R1[:, None] * R1b[None, :] * lsig  # E16
            testA = (B0 + (sig2 * gP / ss if sig2 else 0)) / (1 - gP)  # E16a
            Vb = V if sgn == 1 else np.conj(V)
            for name, F in (("test", test), ("train", train), ("testA", testA)):
                out[name][i0:i1] += 2 * np.real(np.einsum("ia,ab,ib->i", V, F, Vb))
    out["test"] += sig2
    out["testA"] += sig2
    if sig2 > 0:
        if inv_p == 0:
            out["train"] += sig2
        else:
            for g in sched2["groups"]:
                s = np.asarray(g["re"], dtype=float) + 1j * np.asarray(g["im"], dtype=float)
                V = np.asarray(g["wRe"], dtype=float).reshape(-1, len(s)) + 1j * np.asarray(g["wIm"], dtype=float).reshape(-1, len(s))
                kap, qv = solve_group(lam, w, inv_n, inv_p, s, g["crossing"])
                q2 = 2 * np.real(V @ (qv / s * inv_p))
                out["train"][g["tStart"]:g["tEnd"]] += sig2 * (1 - q2)
    return out


def run(data, curve_pass=None):
    """Both passes (primary and error estimate) and their spread; `curve_pass(modes, inv_n, inv_p, sig2, pass, T)`."""
    curve_pass = curve_pass or (lambda modes, inv_n, inv_p, sig2, p, T: one_pass(modes, inv_n, inv_p, sig2, p["schedule"], p["schedule2"], T))
    inv_n = 0.0 if data["N"] is None else 1.0 / data["N"]
    inv_p = 0.0 if data["P"] is None else 1.0 / data["P"]
    sig2 = data["sigma"] ** 2
    passes = [curve_pass(data["modes"], inv_n, inv_p, sig2, p, data["T"]) for p in data["passes"]]
    p, q = passes[0], passes[-1]
    err = {k: np.abs(p[k] - q[k]) for k in p}
    return p, err


def main(curve_pass=None, nested_run=None):
    """Times `run` (or `nested_run` when the input's schedule is a nested trapezoid grid: one pass, own sub-rules)."""
    with open(sys.argv[1]) as f:
        data = json.load(f)
    repeats = int(data.get("repeats", 3))
    runner = run
    if data["passes"][0]["schedule"]["groups"][0].get("nest") is not None:
        if nested_run is None:
            raise SystemExit("this script has no nested rule (numpy_curve_twopoint.py has)")
        runner = nested_run
    runner(data, curve_pass)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        p, err = runner(data, curve_pass)
        times.append((time.process_time() - t0) * 1e3)
    times.sort()
    print(json.dumps({
        "ms": times[0],
        "numpy": np.__version__,
        **{k: list(map(float, v)) for k, v in p.items()},
        "spread": {k: list(map(float, v)) for k, v in err.items()},
    }))

if __name__ == "__main__":
    main()
