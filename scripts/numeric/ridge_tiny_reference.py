"""50-digit mode sums for the ridge plateau at tiny ridges (THEORY E25), for test/numeric/ridge-static.test.ts.

At N = P = inf and t = inf the loss is L(r) = sum_k k^-a (r / (r + k^-b))^2; the sum turns over at k ~ r^(-1/b)
(k ~ 1e80 at r = 1e-100), far past where it is below 1e-17 of L(0). mpmath sums it as an exact head plus an
Euler-Maclaurin tail whose integral is taken in u = log k on unit pieces out past the turnover (a quadrature in k
itself, as in scripts/symbolic/ridge_schedule_laws_sympy.py, loses 40 % at r = 1e-50); the Mellin leading term (the
law of src/symbolic/ridge.ts) is printed beside it.

Writes test/numeric/fixtures/ridge-tiny.json. Run: python3 scripts/numeric/ridge_tiny_reference.py
"""
import json
import os

import mpmath as mp

mp.mp.dps = 50

CASES = [("1.5", "1.25"), ("6", "1.25")]
RIDGES = ["1e-12", "1e-22", "1e-50", "1e-100"]


def mode_sum(f, k_turn, head=2000, order=6, u_step=1):
    """sum_{k >= 1} f(k): exact for k < head, then int_head^inf f + f(head)/2 - Bernoulli end corrections."""
    total = mp.fsum(f(k) for k in range(1, head))
    u0 = mp.log(head)
    g = lambda u: f(mp.exp(u)) * mp.exp(u)
    # pieces of width u_step past the turnover k_turn until a piece is below 1e-30 of the integral so far (relative to
    # the tail, not to L(0): at r = 1e-100 the whole value is 1e-40), then the rest to infinity
    u, integral = u0, mp.mpf(0)
    while True:
        piece = mp.quad(g, [u, u + u_step])
        integral += piece
        u += u_step
        if u > max(u0, mp.log(k_turn)) + 10 and abs(piece) < mp.mpf("1e-30") * abs(integral):
            break
    integral += mp.quad(g, [u, mp.inf])
    total += integral + f(head) / 2
    for j in range(1, order + 1):
        total -= mp.bernoulli(2 * j) / mp.factorial(2 * j) * mp.diff(f, head, 2 * j - 1)
    return total


def leading_term(a, b, r):
    s = (a - 1) / b
    return mp.gamma(s) * mp.gamma(2 - s) / b * r**s if s < 2 else mp.zeta(a - 2 * b) * r**2


def main():
    rows = []
    for a_text, b_text in CASES:
        a, b = mp.mpf(a_text), mp.mpf(b_text)
        for r_text in RIDGES:
            r = mp.mpf(r_text)
            value = mode_sum(lambda k: k**-a * (r / (r + k**-b)) ** 2, r ** (-1 / b))
            law = leading_term(a, b, r)
            rows.append({"a": float(a), "b": float(b), "ridge": float(r), "loss": mp.nstr(value, 20), "law": mp.nstr(law, 20)})
            print(a_text, b_text, r_text, mp.nstr(value, 20), mp.nstr(value / law - 1, 5))
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "numeric", "fixtures", "ridge-tiny.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump({"source": "scripts/numeric/ridge_tiny_reference.py (mpmath 50-digit mode sums)", "cases": rows}, handle, indent=1)


if __name__ == "__main__":
    main()
