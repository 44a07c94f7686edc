"""Independent numpy Monte Carlo of the first discrete-GD steps of the finite
random-feature model (THEORY E1-E6, E26): train loss after steps 1 and 2 from
w = 0, one projection A and one data set per draw.

Used to decide whether a 3.5 s.e. deviation of the simulator's 50-seed fixture
(gd_a1.5_b1.25_N256_P512, sigma = 0.3) from the DMFT at steps 1-2 was the
theory or the sample (docs/dynamics-validation.md).

Rerun: python3 scripts/simulation/gd_first_steps.py SEED DRAWS   (e.g. 2 300, about 1 minute)
"""
import sys

import numpy as np

a, b, M, N, P, eta, sigma = 1.5, 1.25, 2000, 256, 512, 0.5, 0.3
k = np.arange(1, M + 1)
lam = k ** -b
c = k ** -a
wstar = np.sqrt(c / lam)
rng = np.random.default_rng(int(sys.argv[1]))
draws = int(sys.argv[2])
out = []
for _ in range(draws):
    A = rng.standard_normal((N, M))
    Psi = rng.standard_normal((P, M)) * np.sqrt(lam)
    y = Psi @ wstar + sigma * rng.standard_normal(P)
    Phi = Psi @ A.T / np.sqrt(N)
    w = np.zeros(N)
    losses = []
    for _step in range(2):
        w = w + eta * Phi.T @ (y - Phi @ w) / P
        losses.append(np.mean((y - Phi @ w) ** 2))
    out.append(losses)
out = np.array(out)
print(f"a={a} b={b} M={M} N={N} P={P} eta={eta} sigma={sigma} seed={sys.argv[1]} draws={draws}")
print("train loss at steps 1, 2:", " ".join(f"{m:.5f} +- {s:.5f}" for m, s in zip(out.mean(0), out.std(0, ddof=1) / np.sqrt(draws))))
