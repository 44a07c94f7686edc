#!/usr/bin/env python3
"""numpy_curve.py with the train-noise term as the TypeScript solver computes it
for gradient flow (THEORY E16, E25 at zero ridge): the two-point transform
sigma^2 [R1(s)/s - R1(s')/s'] / (s' - s) on the nodes of the pass itself,
whose diagonal ILT2(t, t) equals sigma^2 [1 - ILT[Q/(sP)](2t)], so no second
contour at 2t and no second kappa continuation. Everything else is
numpy_curve.py's (imported, unchanged): the same equations on the same
contours and mode set, timed the same way. bench/numeric.ts reports the ratio
against both scripts.

With a nested schedule (input passes carrying `nest`, one pass: the 36-node
trapezoid grid of the solver's default error estimate, THEORY E13) it does the
solver's work: one pass, the sub-rules at steps 2h and 4h from the same pair
values (the nodes with nest >= k, weights k V), the edge indicator (the terms
of the pairs with the last node) and the spread of verify.ts nestedSpread,
instead of a second pass at 24 nodes.

Run: python3 scripts/numeric/numpy_curve_twopoint.py input.json
"""

import numpy as np

from numpy_curve import main, solve_group

NESTED_SAFETY = 10.0


def one_pass(modes, inv_n, inv_p, sig2, sched, T):
    lam = np.asarray(modes["lambda"], dtype=float)
    c = np.asarray(modes["c"], dtype=float)
    w = np.asarray(modes["weight"], dtype=float)
    L2, L1, C0, C1 = w * lam * lam, w * lam, w * c, w * lam * c
    out = {q: np.zeros(T) for q in ("test", "train", "bias", "testA")}
    nested = sched["groups"][0].get("nest") is not None
    if nested:
        sub = {(q, k): np.zeros(T) for q in out for k in (2, 4)}
        edge = {q: np.zeros(T) for q in out}
    noise_on = sig2 > 0 and inv_p != 0
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
        inv = 1 / (kap[:, None] + lam[None, :])
        H = A[:, None] * inv  # E15a
        Hc = np.conj(H)
        i0, i1 = g["tStart"], g["tEnd"]
        h = 2 * np.real(V @ H)
        out["bias"][i0:i1] = (h * h) @ C0
        if nested:
            nest = np.asarray(g["nest"])
            Vsub = np.concatenate([V * (2 * (nest >= 2)), V * (4 * (nest >= 4))])
            hk = 2 * np.real(Vsub @ H)
            bk = (hk * hk) @ C0
            sub[("bias", 2)][i0:i1] = bk[: i1 - i0]
            sub[("bias", 4)][i0:i1] = bk[i1 - i0 :]
        if noise_on:
            # R1/s and its derivative (R1/s)' = R1'/s - R1/s^2, R1' = -(1/P) g'/phi' (E15a)
            hq = R1 / s
            dg = -(inv * inv) @ L1
            a1 = 1 - qv * inv_p
            a3 = 1 - qv * inv_n
            dphi = a1 * a3 - kap * dg * (a3 * inv_p + a1 * inv_n)
            dh = (-(dg / dphi) * inv_p) / s - R1 / (s * s)
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
            if noise_on:
                hb = hq if sgn == 1 else np.conj(hq)
                diff = sb[None, :] - s[:, None]
                if sgn == 1:
                    np.fill_diagonal(diff, 1.0)
                noise = sig2 * (hq[:, None] - hb[None, :]) / diff
                if sgn == 1:
                    np.fill_diagonal(noise, -sig2 * dh)
                else:
                    # a real node (trapezoid grid, u = 0) paired with its own conjugate: the diagonal value too
                    real = np.nonzero(diff.diagonal() == 0)[0]
                    noise[real, real] = -sig2 * dh[real]
                train = train + noise
            testA = (B0 + (sig2 * gP / ss if sig2 else 0)) / (1 - gP)  # E16a
            Vb = V if sgn == 1 else np.conj(V)
            if nested:
                # the rule and its sub-rules in one product: the weights V, 2 V on nest >= 2, 4 V on nest >= 4
                Vs = np.concatenate([V, Vsub])
                Vbs = Vs if sgn == 1 else np.conj(Vs)
            for name, F in (("test", test), ("train", train), ("testA", testA)):
                if nested:
                    r = 2 * np.real(((Vs @ F) * Vbs).sum(1))
                    m = i1 - i0
                    out[name][i0:i1] += r[:m]
                    sub[(name, 2)][i0:i1] += r[m:2 * m]
                    sub[(name, 4)][i0:i1] += r[2 * m:]
                    # edge: the pairs with the last node
                    edge[name][i0:i1] += 2 * np.abs(V[:, -1]) * (np.abs(Vb) @ np.abs(F[-1]))
                else:
                    out[name][i0:i1] += 2 * np.real(np.einsum("ia,ab,ib->i", V, F, Vb))
            if nested:
                edge["bias"][i0:i1] += 2 * np.abs(V[:, -1]) * (np.abs(Vb) @ np.abs(B0[-1]))
    out["test"] += sig2
    out["testA"] += sig2
    if sig2 > 0 and not noise_on:
        out["train"] += sig2
    if nested:
        # verify.ts nestedSpread (d2 = T(h) - T(2h), d4 = T(h) - T(4h)), the magnitude term left out
        spread = {}
        for q in ("test", "train", "bias", "testA"):
            base = out[q] - (sig2 if q in ("test", "testA") else 0)
            if q == "train" and sig2 > 0 and not noise_on:
                base = base - sig2
            d2 = np.abs(base - sub[(q, 2)])
            d4 = np.abs(base - sub[(q, 4)])
            with np.errstate(divide="ignore", invalid="ignore"):
                disc = np.where(d4 > d2, NESTED_SAFETY * d2 * d2 / d4, d2)
            spread[q] = np.maximum(disc, edge[q])
        out["_spread"] = spread
    return out


def run_nested(data, curve_pass):
    """One nested pass: the spread from its own sub-rules (no second pass)."""
    inv_n = 0.0 if data["N"] is None else 1.0 / data["N"]
    inv_p = 0.0 if data["P"] is None else 1.0 / data["P"]
    p = curve_pass(data["modes"], inv_n, inv_p, data["sigma"] ** 2, data["passes"][0], data["T"])
    return p, p.pop("_spread")


if __name__ == "__main__":
    main(lambda modes, inv_n, inv_p, sig2, p, T: one_pass(modes, inv_n, inv_p, sig2, p["schedule"], T), nested_run=run_nested)
