"""Independent numpy Monte Carlo of the finite random-feature model under
gradient flow, GD or heavy-ball momentum (THEORY E1-E6, E26, E27), to test
the cause of the finite-model gap of momentum's oscillatory transient
(docs/dynamics-validation.md, "The finite-model gap of the top modes").

Per draw (one projection A, one data set, sigma = 0): K = B X^T X B^T with
B = A / sqrt(N), X = Psi / sqrt(P); the residual is
    v_t = w* - B^T U diag(g_t(mu)) U^T B X^T X w*,   K = U diag(mu) U^T,
with g_t the optimizer's propagator factor (src/simulation/propagators.ts
writes the same; this file shares no code with it), and the test loss is
v_t^T Lambda v_t. Besides the plain estimate it computes the same loss with
the time course of the top `--freeze` modes set by the mean of their
eigenvalue over the draws instead of the draw's own (eigenvectors and each
mode's end point, its least-squares coefficient, kept): if the gap between the DMFT and the finite model comes
from the draw-to-draw spread of the top (outlier) eigenvalues, it vanishes
in the frozen estimate. Also prints the mean and the relative standard
deviation of the top eigenvalues, against sqrt(2/N + 2/P).

The DMFT value comes from the project's CLI (`curve --format json`).

Rerun (example, about 1 minute):
  python3 scripts/simulation/finite_gap_dephasing.py --a 4.4 --b 1.3 --M 1000 --N 256 --P 512 \
      --optimizer momentum --lr 0.2 --momentum 0.9 --t 5,10,15,20,30,50 --draws 400 --seed 1
"""
import argparse
import json
import subprocess

import numpy as np


def propagator(opt, lr, beta, mu, times):
    """g_t(mu) for every mu (rows) and time (columns): w_t = U diag(g_t) U^T b."""
    mu = np.maximum(mu, 0.0)
    out = np.empty((mu.size, len(times)))
    if opt == "gf":
        for j, t in enumerate(times):
            out[:, j] = np.where(mu > 0, -np.expm1(-mu * t) / np.where(mu > 0, mu, 1), t)
        return out
    b = 0.0 if opt == "gd" else beta
    g, g_prev = np.zeros_like(mu), np.zeros_like(mu)
    step = 0
    for j, t in enumerate(times):
        while step < t:
            g, g_prev = (1 + b - lr * mu) * g - b * g_prev + lr, g
            step += 1
        out[:, j] = g
    return out


def draw(rng, lam, wstar, N, P):
    """P = 0 stands for P = infinity (G = Lambda exactly)."""
    M = lam.size
    B = rng.standard_normal((N, M)) / np.sqrt(N)
    if P == 0:
        Y = B * np.sqrt(lam)  # N x M: K = B Lambda B^T
        K = Y @ Y.T
        mu, U = np.linalg.eigh(K)
        proj = U.T @ (B @ (lam * wstar))
        return mu, proj, B.T @ U
    X = rng.standard_normal((P, M)) * np.sqrt(lam) / np.sqrt(P)
    Y = X @ B.T  # P x N
    K = Y.T @ Y
    mu, U = np.linalg.eigh(K)
    proj = U.T @ (Y.T @ (X @ wstar))
    W = B.T @ U  # M x N
    return mu, proj, W


def losses(mu, proj, W, lam, wstar, args, times, mu_clock=None):
    """mu_clock: eigenvalues that set each mode's time course (the frozen test); the
    mode's end point (its least-squares coefficient proj / mu) stays that of mu."""
    if mu_clock is None:
        g = propagator(args.optimizer, args.lr, args.momentum, mu, times)
    else:
        g = propagator(args.optimizer, args.lr, args.momentum, mu_clock, times) * (mu_clock / mu)[:, None]
    V = wstar[:, None] - W @ (g * proj[:, None])
    return np.einsum("mt,m,mt->t", V, lam, V)


def dmft(args):
    cmd = ["npx", "--no-install", "tsx", "src/cli/main.ts", "curve", "--a", str(args.a), "--b", str(args.b), "--M", str(args.M),
           "--N", str(args.N), "--P", str(args.P) if args.P > 0 else "inf", "--t", args.t, "--format", "json"]
    if args.optimizer != "gf":
        cmd += ["--optimizer", args.optimizer, "--lr", str(args.lr)]
    if args.optimizer == "momentum":
        cmd += ["--momentum", str(args.momentum)]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return np.array(out["test"], dtype=float), out["status"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--a", type=float, required=True)
    p.add_argument("--b", type=float, required=True)
    p.add_argument("--M", type=int, required=True)
    p.add_argument("--N", type=int, required=True)
    p.add_argument("--P", type=int, required=True, help="0 for P = infinity")
    p.add_argument("--optimizer", choices=["gf", "gd", "momentum"], required=True)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--momentum", type=float, default=0.0)
    p.add_argument("--t", required=True)
    p.add_argument("--draws", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--freeze", type=int, default=3, help="top eigenvalues replaced by their mean")
    args = p.parse_args()
    times = [float(x) if args.optimizer == "gf" else int(x) for x in args.t.split(",")]
    k = np.arange(1, args.M + 1)
    lam = k ** -args.b
    wstar = np.sqrt(k ** -args.a / lam)
    # Pass 1: the mean of the top eigenvalues (the same draws are replayed in pass 2); --freeze 0 skips it.
    rng = np.random.default_rng(args.seed)
    tops = np.array([draw(rng, lam, wstar, args.N, args.P)[0][::-1][: args.freeze] for _ in range(args.draws if args.freeze > 0 else 0)])
    top_mean = tops.mean(0) if args.freeze > 0 else np.zeros(0)
    rng = np.random.default_rng(args.seed)
    plain, frozen = [], []
    for _ in range(args.draws):
        mu, proj, W = draw(rng, lam, wstar, args.N, args.P)
        plain.append(losses(mu, proj, W, lam, wstar, args, times))
        if args.freeze > 0:
            mu_f = mu.copy()
            mu_f[-args.freeze:] = top_mean[::-1]
            frozen.append(losses(mu, proj, W, lam, wstar, args, times, mu_clock=mu_f))
        else:
            frozen.append(np.full(len(times), np.nan))
    plain, frozen = np.array(plain), np.array(frozen)
    theory, status = dmft(args)
    se = lambda x: x.std(0, ddof=1) / np.sqrt(args.draws)
    print(f"# {vars(args)}")
    spread = np.array2string(tops.std(0, ddof=1) / top_mean, precision=4) if args.freeze > 0 else "-"
    print(f"# DMFT status {status}; top {args.freeze} eigenvalues of K: mean {np.array2string(top_mean, precision=4)}, "
          f"relative sd {spread}; sqrt(2/N + 2/P) = {np.sqrt(2 / args.N + (2 / args.P if args.P > 0 else 0)):.4f}")
    print("t,dmft,mc,mc_se,gap_rel,frozen,frozen_se,frozen_gap_rel")
    for j, t in enumerate(times):
        mc, fr = plain[:, j].mean(), frozen[:, j].mean()
        print(f"{t},{theory[j]:.6g},{mc:.6g},{se(plain[:, j])[()]:.3g},{(theory[j] - mc) / mc:+.4f},{fr:.6g},{se(frozen[:, j])[()]:.3g},{(theory[j] - fr) / fr:+.4f}")


if __name__ == "__main__":
    main()
