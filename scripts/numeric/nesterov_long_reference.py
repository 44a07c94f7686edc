"""40-digit reference sums for Nesterov at long horizons (THEORY E28d), for test/numeric/nesterov-keyhole.test.ts.

At N = P = inf the loss is sum_k c_k D_t(lambda_k)^2 with D_{s+1} = a [(1 + beta) D_s - beta D_{s-1}],
a = 1 - eta lambda, D_0 = D_{-1} = 1. In double precision a step-by-step recursion loses about t eps / (1 - beta)
(2e-10 relative at 1e5 steps for beta = 0.9, measured), more than the keyhole's own error, so the reference takes
(D_t, D_{t-1}) = M^t (1, 1), M = [[a (1 + beta), -a beta], [1, 0]], by repeated squaring in 40-digit arithmetic.
Spectrum: 400 modes, lambda_k = k^-2, c_k = k^-1.5 (as in the test).

Writes test/numeric/fixtures/nesterov-long.json. Run: python3 scripts/numeric/nesterov_long_reference.py
"""
import json
import os

import mpmath as mp

mp.mp.dps = 40

MODES = 400
CASES = [("0.1", "0.9", [1000, 10000, 100000, 1000000]), ("0.02", "0.5", [1000, 10000, 100000, 1000000]), ("1.2", "0.5", [700, 3000, 10000, 100000])]


def residual(eta, beta, lam, t):
    """D_t by binary powering of the 2 x 2 transfer matrix."""
    a = 1 - eta * lam
    m = [[a * (1 + beta), -a * beta], [mp.mpf(1), mp.mpf(0)]]
    v = [mp.mpf(1), mp.mpf(1)]
    n = t
    while n > 0:
        if n & 1:
            v = [m[0][0] * v[0] + m[0][1] * v[1], m[1][0] * v[0] + m[1][1] * v[1]]
        n >>= 1
        if n:
            m = [[m[0][0] * m[0][0] + m[0][1] * m[1][0], m[0][0] * m[0][1] + m[0][1] * m[1][1]],
                 [m[1][0] * m[0][0] + m[1][1] * m[1][0], m[1][0] * m[0][1] + m[1][1] * m[1][1]]]
    return v[0]


def main():
    cases = []
    for eta, beta, times in CASES:
        e, b = mp.mpf(eta), mp.mpf(beta)
        losses = [mp.fsum(mp.mpf(k) ** mp.mpf("-1.5") * residual(e, b, mp.mpf(k) ** -2, t) ** 2 for k in range(1, MODES + 1)) for t in times]
        cases.append({"eta": float(eta), "beta": float(beta), "t": times, "loss": [mp.nstr(x, 25) for x in losses]})
    out = {"source": "scripts/numeric/nesterov_long_reference.py (mpmath 40 digits, 2 x 2 powering)", "modes": MODES, "lambda": "k^-2", "c": "k^-1.5", "cases": cases}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "numeric", "fixtures", "nesterov-long.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
