#!/usr/bin/env python3
"""Random-matrix check of test/fixtures/numeric/train-noise.json (the train-loss
noise part under GD and heavy-ball momentum, THEORY E16, E27), with actual
matrices instead of the DMFT equations.

The deterministic-equivalent measure of the training kernel K depends on
(lambda_k, N, P) only through g/P and g/N (E15a), so M modes at (N, P) give the
same measure as every mode repeated c times at (c N, c P): the proportional
limit, where the spectrum of a drawn K concentrates on it (corrections
O(1/(c P))). For c = 25 we draw Psi = X Lambda^{1/2} (c P x c M, X standard
Gaussian) and, at finite N, A (c N x c M), form K = Psi F Psi^T / P with
F = A^T A / N (or F = 1 at N = infinity), take its eigenvalues (through the
smaller Gram matrix; the rest are zeros) and average
    (1/P) sum_i e_t(mu_i)^2     (e_t by the recurrence of E27, e_0 = e_{-1} = 1)
over a few seeded draws. Printed beside the fixture's noise (= int e_t^2 d rho,
exact moments) and twoT (= int e_2t d rho, the 2t shortcut): the matrices must
sit on noise, not on twoT. Not a fixture (a seeded Monte Carlo); run:
    python3 scripts/numeric/train_noise_matrices.py
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "..", "test", "fixtures", "numeric", "train-noise.json")


def e_t(mu, eta, beta, t):
    prev = np.ones_like(mu)
    cur = np.ones_like(mu)
    for _ in range(t):
        prev, cur = cur, (1 + beta - eta * mu) * cur - beta * prev
    return cur


def kernel_eigs(rng, lam, c, N, P):
    M = len(lam)
    Mc, Pc = c * M, c * P
    sq = np.repeat(np.sqrt(lam), c)
    psi = rng.standard_normal((Pc, Mc)) * sq[None, :]
    if N is None:
        gram = psi.T @ psi / Pc  # Mc x Mc, nonzero spectrum of K
    else:
        Nc = c * N
        A = rng.standard_normal((Nc, Mc))
        B = psi @ A.T / np.sqrt(Nc * Pc)  # Pc x Nc, K = B B^T
        gram = B.T @ B if Nc <= Pc else B @ B.T
    mu = np.linalg.eigvalsh(gram)
    return mu, Pc


def main():
    data = json.load(open(FIXTURE))
    c, draws = 25, 4
    for case in data["cases"]:
        N = None if case["N"] == "Infinity" else case["N"]
        lam = np.arange(1, case["M"] + 1, dtype=float) ** -case["b"]
        eta, beta = case["lr"], case.get("beta", 0.0)
        rng = np.random.default_rng(12345)
        vals = np.zeros((draws, len(case["t"])))
        for d in range(draws):
            mu, Pc = kernel_eigs(rng, lam, c, N, case["P"])
            zeros = Pc - len(mu)
            for i, t in enumerate(case["t"]):
                vals[d, i] = (np.sum(e_t(mu, eta, beta, t) ** 2) + zeros) / Pc
        mean = vals.mean(0)
        se = vals.std(0, ddof=1) / np.sqrt(draws)
        print("%s M=%d N=%s P=%d eta=%g beta=%g  (c = %d, %d draws)" % (case["kind"], case["M"], case["N"], case["P"], eta, beta, c, draws))
        for i, t in enumerate(case["t"]):
            ref, two = case["noise"][i], case["twoT"][i]
            print("  t=%3d  matrices %.6f +- %.1e   moments %.6f (diff %+.1e)   2t route %.6f (diff %+.1e)"
                  % (t, mean[i], se[i], ref, mean[i] - ref, two, mean[i] - two))


if __name__ == "__main__":
    main()
