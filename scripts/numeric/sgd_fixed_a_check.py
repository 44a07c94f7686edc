#!/usr/bin/env python3
"""Finite-N check of the SGD DMFT (THEORY E28) against the trace-term recursion
at fixed A, averaged over draws of A (numpy, seeded). At fixed A the
expected-loss recursion with the trace term only is exactly the Volterra
equation with the A-specific K_tau = sum_i mu_i^2 (1 - eta mu_i)^{2 tau} and
L^GD_t = sum_i (v_i . w~)^2 (1 - eta mu_i)^{2t} (mu_i, v_i the eigenpairs of
T = Lambda^1/2 A^T A Lambda^1/2 / N); the DMFT replaces K and L^GD by their
deterministic equivalents. Prints the mean over draws with its standard error
beside the DMFT values of test/fixtures/sgd/reference.json. Not a fixture
generator: a report of the distance (measured: within ~1-2.5 % and about one
standard error at N = 32-64 with 40 draws).

Run: python3 scripts/numeric/sgd_fixed_a_check.py
"""
import json

import numpy as np

fx = json.load(open('test/fixtures/sgd/reference.json'))['cases']
rng = np.random.default_rng(1)
for case in fx[:2]:
    a,b,M,N,eta,B,sigma = case['a'],case['b'],case['M'],case['N'],case['eta'],case['B'],case['sigma']
    k = np.arange(1, M+1.0); lam = k**-b; c = k**-a
    wt = np.sqrt(c)  # w~ = Lambda^1/2 w*, (w~_k)^2 = c_k
    T = 1000; ts = np.array(case['t']); draws = 40
    acc = np.zeros(T+1); acc2 = np.zeros(T+1)
    for d in range(draws):
        A = rng.standard_normal((N, M))
        S = np.sqrt(lam)[:,None] * (A.T @ A / N) * np.sqrt(lam)[None,:]
        mu, V = np.linalg.eigh(S)
        mu = np.clip(mu, 0, None)
        p = (V.T @ wt)**2
        x = (1 - eta*mu)**2
        pw = x[None,:] ** np.arange(T+1)[:,None]
        K = pw @ (mu**2); G = pw @ p
        L = np.empty(T+1); eps = eta*eta/B
        for t in range(T+1):
            L[t] = sigma**2 + G[t] + (eps*np.dot(K[t-1::-1], L[:t]) if t>0 else 0)
        acc += L; acc2 += L*L
    mean = acc/draws; se = np.sqrt((acc2/draws - mean**2)/(draws-1))
    print(f"a={a} b={b} M={M} N={N} eta={eta} B={B} sigma={sigma}: fixed-A Volterra (trace term only) averaged over {draws} draws of A vs DMFT")
    for i,t in enumerate(ts):
        if t in (1,10,50,100,300,1000):
            print(f"  t={t:5d} DMFT {case['test'][i]:.6g}  fixed-A mean {mean[t]:.6g} +- {se[t]:.2g}  rel diff {(mean[t]/case['test'][i]-1)*100:+.2f}%")
