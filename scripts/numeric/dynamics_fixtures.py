#!/usr/bin/env python3
"""Generate test/fixtures/numeric/dynamics.json: reference loss curves for the
training dynamics of THEORY (E25)-(E27), computed another way than
src/numeric (schedule.ts + curve.ts):

1. N = P = infinity (R = 1, every mode independent), in mpmath at 40 digits:
   discrete GD   sum_k c_k (1 - eta lambda_k)^(2t)                     (E26)
   momentum      sum_k c_k e_t^2, e_{s+1} = (1 + beta - eta lambda) e_s - beta e_{s-1},
                 e_0 = e_{-1} = 1, iterated step by step               (E27)
   ridge (gf)    sum_k c_k ((r + lambda e^{-(lambda + r) t}) / (lambda + r))^2   (E25)
2. Finite N, P (power law with M = 200 modes, all exact), with numpy: the same
   DMFT closed forms (E15-E16a, the numpy implementation of
   scripts/numeric/numpy_curve.py) inverted on contours the TypeScript solver
   does not use:
   GD: a circle in the u-plane, u = -0.5/eta + (0.6/eta) e^{i theta},
       enclosing the spectrum [-E_max, 0] (E_max < 1/eta), kernel
       (1 + eta u)^t du, trapezoid rule with 500 nodes per half circle;
   momentum: the z-circle |z| = 1.25 (not 1 + c/t), kernel z^(t-1) (z - beta)/eta,
       600 nodes per half circle.
   GD with 1 <= eta E_max < 2 ("gdWide": the y-map of E26 does not apply,
       the solver takes its circle |z| = 1 + 4/t at every step): the u-circle
       u = -0.95/eta + (1/eta) e^{i theta}, i.e. z = 1 + eta u on the circle
       centred at 0.05 with radius 1, which encloses z in [1 - eta E_max, 1]
       for eta E_max < 1.95; 700 nodes per half circle. The reference's own
       error is the spread against a second circle (centre -1/eta, radius
       1.04/eta, 800 nodes), written as "referenceSpread" per quantity.
   The kappa(u) continuation, pair sums (matrix products) and closed forms
   are numpy code independent of the TypeScript ones.
   Train-loss noise: sigma^2 (1/P) tr e_t(K)^2, e_t the propagator. For GD
   e_t^2 = e_{2t}, so numpy_curve.py's single transform at 2t is exact. For
   momentum e_t^2 != e_{2t} (E27): the two-point form
   sigma^2 [R1(s)/s - R1(s')/s'] / (s' - s) on the |z| = 1.25 circle itself
   (numpy_curve_twopoint.py), whose diagonal is tr e_t(K)^2 / P. The 2t route
   this script used before is off by 0.03-0.2 % of the train loss here; the
   noise part alone is checked without any contour against exact spectral
   moments in scripts/numeric/train_noise_moments.py.

Values written with 17 significant digits. Run:
    python3 scripts/numeric/dynamics_fixtures.py
"""
import importlib.util
import json
import os
import sys

import mpmath as mp
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "numeric", "dynamics.json")
spec = importlib.util.spec_from_file_location("numpy_curve", os.path.join(HERE, "numpy_curve.py"))
numpy_curve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(numpy_curve)
sys.path.insert(0, HERE)  # numpy_curve_twopoint imports numpy_curve by name
spec2 = importlib.util.spec_from_file_location("numpy_curve_twopoint", os.path.join(HERE, "numpy_curve_twopoint.py"))
numpy_curve_twopoint = importlib.util.module_from_spec(spec2)
spec2.loader.exec_module(numpy_curve_twopoint)

mp.mp.dps = 40


def s17(x):
    return float(mp.nstr(mp.mpf(x), 17))


def modes_exact(a, b, M):
    k = np.arange(1, M + 1, dtype=float)
    return {"lambda": list(k ** -b), "c": list(k ** -a), "weight": [1.0] * M}


def free_cases():
    out = []
    a, b, M = 1.5, 1.25, 2000
    lam = [mp.mpf(k) ** -b for k in range(1, M + 1)]
    c = [mp.mpf(k) ** -a for k in range(1, M + 1)]
    eta = mp.mpf("0.5")
    steps = [1, 2, 10, 100, 1000]
    gd = [mp.fsum(ck * (1 - eta * lk) ** (2 * t) for lk, ck in zip(lam, c)) for t in steps]
    out.append({"kind": "gd", "lr": 0.5, "a": a, "b": b, "M": M, "t": steps, "test": [s17(v) for v in gd]})
    beta = mp.mpf("0.6")
    eta_m = mp.mpf("0.3")
    msteps = [1, 2, 5, 20, 100, 400]
    vals = []
    for T in msteps:
        total = mp.mpf(0)
        for lk, ck in zip(lam, c):
            prev, cur = mp.mpf(1), mp.mpf(1)
            for _ in range(T):
                prev, cur = cur, (1 + beta - eta_m * lk) * cur - beta * prev
            total += ck * cur * cur
        vals.append(total)
    out.append({"kind": "momentum", "lr": 0.3, "beta": 0.6, "a": a, "b": b, "M": M, "t": msteps, "test": [s17(v) for v in vals]})
    r = mp.mpf("0.01")
    times = [0.1, 10, 1000, 1e5]
    rv = []
    for t in times:
        t = mp.mpf(t)
        rv.append(mp.fsum(ck * ((r + lk * mp.exp(-(lk + r) * t)) / (lk + r)) ** 2 for lk, ck in zip(lam, c)))
    out.append({"kind": "gf", "ridge": 0.01, "a": a, "b": b, "M": M, "t": times, "test": [s17(v) for v in rv]})
    return out


def circle_schedule(nodes_u, weights_per_time, crossing):
    """One group per time (tStart = i), nodes in path order (theta increasing)."""
    groups = []
    for i, w in enumerate(weights_per_time):
        groups.append({
            "tStart": i, "tEnd": i + 1,
            "re": list(nodes_u.real), "im": list(nodes_u.imag),
            "wRe": list(w.real), "wIm": list(w.imag), "crossing": crossing,
        })
    return {"groups": groups}


def gd_schedule(eta, steps, m=500, centre=-0.5, radius=0.6):
    # u = c + rho e^{i theta}; f(t) = (1/2 pi i) oint (1 + eta u)^t F(u) du = 2 Re sum_j V_j F(u_j),
    # V_j = (1 + eta u_j)^t rho e^{i theta_j} / (2 m) over the upper half (2m nodes on the circle).
    c, rho = centre / eta, radius / eta
    theta = (np.arange(m) + 0.5) * np.pi / m
    u = c + rho * np.exp(1j * theta)
    ws = [(1 + eta * u) ** t * rho * np.exp(1j * theta) / (2 * m) for t in steps]
    return circle_schedule(u, ws, c + rho)


def momentum_schedule(eta, beta, steps, R=1.25, m=600):
    theta = (np.arange(m) + 0.5) * np.pi / m
    z = R * np.exp(1j * theta)
    u = (z - 1) * (z - beta) / (eta * z)
    ws = [z ** t * (z - beta) / (2 * m * eta) for t in steps]
    return circle_schedule(u, ws, (R - 1) * (R - beta) / (eta * R))


def finite_cases():
    out = []
    a, b, M, N, P, sigma = 1.5, 1.25, 200, 64, 128, 0.3
    modes = modes_exact(a, b, M)
    inv_n, inv_p = 1.0 / N, 1.0 / P
    eta = 0.25
    steps = [1, 3, 10, 30, 60]
    sched = gd_schedule(eta, steps)
    sched2 = gd_schedule(eta, [2 * t for t in steps])
    res = numpy_curve.one_pass(modes, inv_n, inv_p, sigma ** 2, sched, sched2, len(steps))
    out.append({"kind": "gd", "lr": eta, "a": a, "b": b, "M": M, "N": N, "P": P, "sigma": sigma, "t": steps,
                **{q: [s17(v) for v in res[q]] for q in ("test", "train", "bias", "testA")}})
    beta = 0.5
    msteps = [1, 4, 15, 40]
    sched = momentum_schedule(eta, beta, msteps)
    sched2 = momentum_schedule(eta, beta, [2 * t for t in msteps])
    res = numpy_curve.one_pass(modes, inv_n, inv_p, sigma ** 2, sched, sched2, len(msteps))
    # train: the two-point noise on the same circle, since e_t^2 != e_{2t} under momentum (E27); numpy_curve's
    # train column (noise at 2t) is not used. test, bias, L_A stay numpy_curve's.
    res["train"] = numpy_curve_twopoint.one_pass(modes, inv_n, inv_p, sigma ** 2, sched, len(msteps))["train"]
    out.append({"kind": "momentum", "lr": eta, "beta": beta, "a": a, "b": b, "M": M, "N": N, "P": P, "sigma": sigma, "t": msteps,
                **{q: [s17(v) for v in res[q]] for q in ("test", "train", "bias", "testA")}})
    return out


def gd_wide_cases():
    """GD at 1 <= eta E_max < 2 (E_max ~ 1.41 for these N, P: checked by the test from the solver's diagnostics)."""
    out = []
    a, b, M, N, P, sigma = 1.5, 1.25, 200, 64, 128, 0.3
    modes = modes_exact(a, b, M)
    inv_n, inv_p = 1.0 / N, 1.0 / P
    steps = [1, 3, 10, 30, 60]
    for eta in (1.0, 1.3):
        runs = []
        for centre, radius, m in ((-0.95, 1.0, 700), (-1.0, 1.04, 800)):
            sched = gd_schedule(eta, steps, m, centre, radius)
            sched2 = gd_schedule(eta, [2 * t for t in steps], m, centre, radius)
            runs.append(numpy_curve.one_pass(modes, inv_n, inv_p, sigma ** 2, sched, sched2, len(steps)))
        res, other = runs
        qs = ("test", "train", "bias", "testA")
        out.append({"kind": "gd", "lr": eta, "a": a, "b": b, "M": M, "N": N, "P": P, "sigma": sigma, "t": steps,
                    **{q: [s17(v) for v in res[q]] for q in qs},
                    "referenceSpread": {q: [s17(abs(x - y)) for x, y in zip(res[q], other[q])] for q in qs}})
    return out


def main():
    data = {
        "header": "generated by scripts/numeric/dynamics_fixtures.py (mpmath %s, numpy %s), do not edit" % (mp.__version__, np.__version__),
        "free": free_cases(),
        "finite": finite_cases(),
        "gdWide": gd_wide_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
