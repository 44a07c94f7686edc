#!/usr/bin/env python3
"""Generate test/fixtures/numeric/train-noise.json: the label-noise part of the
TRAIN loss under discrete GD and heavy-ball momentum, computed without any
contour, transform or product rule (independent of src/numeric).

Why this is the quantity (THEORY E15-E16, E27): on the training set the
residual r = y - f obeys r_{t+1} = r_t - eta K r_t + beta (r_t - r_{t-1}),
r_{-1} = r_0 = y, with K the P x P training kernel Psi F Psi^T / P. So
r_t = e_t(K) y with the scalar recurrence
    e_{s+1}(mu) = (1 + beta - eta mu) e_s(mu) - beta e_{s-1}(mu),  e_0 = e_{-1} = 1
(beta = 0: e_t = (1 - eta mu)^t, discrete GD, E26). With y = Psi w* + sigma eps
the cross term averages out and the noise part of Lhat = |r|^2 / P is
    sigma^2 (1/P) tr e_t(K)^2 = sigma^2 int e_t(mu)^2 d rho(mu),
rho the limiting spectral measure of K (its atom at mu = 0 included).
For GD and gradient flow e_t^2 = e_{2t}, so this is the single transform at 2t
(E16); for momentum e_t^2 != e_{2t} and the 2t shortcut is a different number.

The measure rho enters only through its moments m_j = int mu^j d rho, since
e_t^2 is a polynomial of degree 2t. The moments come exactly from the DMFT
resolvent (E15a): R1(s)/s = (1/P) tr (s + K)^{-1}, i.e.
    R1(s) = int s / (s + mu) d rho(mu) = sum_j (-1)^j m_j s^-j,
with s = kappa R1 R3, R1 = 1 - g/P, R3 = 1 - g/N, g = sum_k lambda_k / (kappa + lambda_k).
In x = 1/s and y = 1/kappa = x R1 R3: g = sum_k lambda_k y / (1 + lambda_k y),
solved order by order in x (coefficient n of R1, R3 needs only lower orders of
y, because y = O(x)). A finite mode set (M modes, lambda_k = k^-b) makes every
sum exact. Arithmetic in mpmath at 80 digits (checked against 110 digits);
the moment series is also checked against R1(s) solved directly at a real
s > E_max (a root of the E15a equation by bisection).

Values written with 17 significant digits; the expected "noise" is
int e_t^2 d rho (multiply by sigma^2), and "twoT" = int e_{2t} d rho (the 2t
route) for the record. Run:
    python3 scripts/numeric/train_noise_moments.py
"""
import json
import os

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "numeric", "train-noise.json")


def s17(x):
    return float(mp.nstr(mp.mpf(x), 17))


def moments(lam, inv_n, inv_p, order):
    """m_0..m_order of the spectral measure of K from the resolvent series (E15a)."""
    n1 = order + 1
    R1 = [mp.mpf(0)] * n1
    R3 = [mp.mpf(0)] * n1
    R1[0] = R3[0] = mp.mpf(1)
    y = [mp.mpf(0)] * n1          # y = x R1 R3
    qk = [[mp.mpf(0)] * n1 for _ in lam]  # q_k = f_k / (1 + f_k), f_k = lambda_k y
    for n in range(1, n1):
        # y_n = [x^(n-1)] (R1 R3): only orders < n of R1, R3
        y[n] = mp.fsum(R1[i] * R3[n - 1 - i] for i in range(n))
        gn = mp.mpf(0)
        for k, lk in enumerate(lam):
            q = qk[k]
            # q (1 + f) = f  =>  q_n = f_n - sum_{i=1}^{n-1} q_i f_{n-i}
            q[n] = lk * y[n] - mp.fsum(q[i] * lk * y[n - i] for i in range(1, n))
            gn += q[n]
        R1[n] = -gn * inv_p
        R3[n] = -gn * inv_n
    return [(-1) ** j * R1[j] for j in range(n1)], R1, R3


def r1_direct(lam, inv_n, inv_p, s):
    """R1(s) at real s > 0 from the E15a root kappa > 0 (bisection on the physical branch)."""
    def g(k):
        return mp.fsum(lk / (k + lk) for lk in lam)

    def phi(k):
        gk = g(k)
        return k * (1 - gk * inv_p) * (1 - gk * inv_n) - s

    lo, hi = mp.mpf(0), s + mp.fsum(lam) + 10
    # the physical root: largest kappa with phi = 0 (phi -> +inf as kappa -> inf)
    for _ in range(400):
        mid = (lo + hi) / 2
        if phi(mid) > 0:
            hi = mid
        else:
            lo = mid
    return 1 - g(hi) * inv_p


def e_poly(eta, beta, t):
    """Coefficients (in mu) of e_t(mu) from the recurrence of THEORY (E27)."""
    prev = [mp.mpf(1)]
    cur = [mp.mpf(1)]
    for _ in range(t):
        nxt = [mp.mpf(0)] * (len(cur) + 1)
        for i, a in enumerate(cur):
            nxt[i] += (1 + beta) * a
            nxt[i + 1] -= eta * a
        for i, a in enumerate(prev):
            nxt[i] -= beta * a
        prev, cur = cur, nxt
    return cur


def integrate(poly, m):
    return mp.fsum(a * m[i] for i, a in enumerate(poly))


def square(poly):
    out = [mp.mpf(0)] * (2 * len(poly) - 1)
    for i, a in enumerate(poly):
        for j, b in enumerate(poly):
            out[i + j] += a * b
    return out


def case(M, b, N, P, eta, beta, steps, dps=80):
    mp.mp.dps = dps
    lam = [mp.mpf(k) ** -mp.mpf(b) for k in range(1, M + 1)]
    inv_n = mp.mpf(0) if N is None else 1 / mp.mpf(N)
    inv_p = 1 / mp.mpf(P)
    m, R1, _ = moments(lam, inv_n, inv_p, 4 * max(steps))
    # check the series against the direct root at s = 40 (beyond the spectrum's top, so it converges)
    s = mp.mpf(40)
    series = mp.fsum(R1[j] * s ** -j for j in range(len(R1)))
    direct = r1_direct(lam, inv_n, inv_p, s)
    assert abs(series - direct) < mp.mpf(10) ** (-40), (series, direct)
    eta, beta = mp.mpf(eta), mp.mpf(beta)
    noise, two_t = [], []
    for t in steps:
        et = e_poly(eta, beta, t)
        noise.append(integrate(square(et), m))
        two_t.append(integrate(e_poly(eta, beta, 2 * t), m))
    return noise, two_t


def main():
    cases = []
    specs = [
        # (kind, M, b, N, P, eta, beta, steps)
        ("momentum", 24, 1.25, None, 128, 0.5, 0.6, [1, 2, 5, 12, 30]),
        ("momentum", 24, 1.25, 64, 128, 0.5, 0.6, [1, 2, 5, 12, 30]),
        ("momentum", 40, 1.25, 64, 128, 0.25, 0.5, [1, 4, 15, 40]),
        ("gd", 24, 1.25, None, 128, 0.5, 0.0, [1, 2, 5, 12, 30]),
        ("gd", 24, 1.25, 64, 128, 0.5, 0.0, [1, 2, 5, 12, 30]),
    ]
    for kind, M, b, N, P, eta, beta, steps in specs:
        noise, two_t = case(M, b, N, P, eta, beta, steps)
        hi, _ = case(M, b, N, P, eta, beta, steps, dps=110)
        for x, y in zip(noise, hi):
            assert abs(x - y) <= mp.mpf(10) ** (-30) * abs(y), (x, y)
        entry = {"kind": kind, "lr": eta, "M": M, "b": b, "N": "Infinity" if N is None else N, "P": P, "t": steps,
                 "noise": [s17(v) for v in noise], "twoT": [s17(v) for v in two_t]}
        if kind == "momentum":
            entry["beta"] = beta
        cases.append(entry)
        print(kind, M, N, P, eta, beta)
        for t, x, y in zip(steps, noise, two_t):
            print("  t=%4d  int e_t^2 = %s   int e_2t = %s   rel diff %s" % (t, mp.nstr(x, 17), mp.nstr(y, 17), mp.nstr((y - x) / x, 3)))
    data = {
        "header": "generated by scripts/numeric/train_noise_moments.py (mpmath %s), do not edit" % mp.__version__,
        "note": "noise = int e_t(mu)^2 d rho(mu) (train-loss noise part / sigma^2); twoT = int e_2t d rho (the 2t shortcut)",
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
