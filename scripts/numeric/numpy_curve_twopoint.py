#!/usr/bin/env python3
"""numpy_curve.py with the train-noise term as the TypeScript solver computes it
for gradient flow (THEORY E16, E25 at zero ridge): the two-point transform
sigma^2 [R1(s)/s - R1(s')/s'] / (s' - s) on the nodes of the pass itself,
whose diagonal ILT2(t, t) equals sigma^2 [1 - ILT[Q/(sP)](2t)], so no second
contour at 2t and no second kappa continuation. Everything else is
numpy_curve.py's (imported, unchanged): the same equations on the same
contours and mode set, timed the same way. bench/numeric.ts reports the ratio
against both scripts.

Run: python3 scripts/numeric/numpy_curve_twopoint.py input.json
"""

import numpy as np

from numpy_curve import main, solve_group


def one_pass(modes, inv_n, inv_p, sig2, sched, T):
    lam = np.asarray(modes["lambda"], dtype=float)
    c = np.asarray(modes["c"], dtype=float)
    w = np.asarray(modes["weight"], dtype=float)
    L2, L1, C0, C1 = w * lam * lam, w * lam, w * c, w * lam * c
    out = {q: np.zeros(T) for q in ("test", "train", "bias", "testA")}
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
                train = train + noise
            testA = (B0 + (sig2 * gP / ss if sig2 else 0)) / (1 - gP)  # E16a
            Vb = V if sgn == 1 else np.conj(V)
            for name, F in (("test", test), ("train", train), ("testA", testA)):
                out[name][i0:i1] += 2 * np.real(np.einsum("ia,ab,ib->i", V, F, Vb))
    out["test"] += sig2
    out["testA"] += sig2
    if sig2 > 0 and not noise_on:
        out["train"] += sig2
    return out


if __name__ == "__main__":
    main(lambda modes, inv_n, inv_p, sig2, p, T: one_pass(modes, inv_n, inv_p, sig2, p["schedule"], T))
