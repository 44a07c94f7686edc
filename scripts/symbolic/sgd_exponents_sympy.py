"""Independent oracle for the one-pass SGD compute-optimal exponents (THEORY E29).

For rational (a, b) the four candidate terms of the loss at compute C = N t B,
with N = C^u and t = C^(1-u) (B fixed), decay as C^(g_i(u)) with
  time   g = -(a-1)/b (1-u)
  width  g = -min(a-1, b) u
  cross  g = -u - (1-1/b)(1-u)        (only for a - 1 > b)
  noise  g = -(2-1/b)(1-u)            (only for a - 1 > b)
The loss exponent at the optimum is min over u in (0, 1) of max_i g_i(u): a
piecewise-linear problem solved exactly with SymPy rationals by checking every
pairwise intersection (and the interval ends). This shares no code with the
TypeScript balance engine. Writes test/symbolic/fixtures/sgd-exponents.json
(exact rationals as strings). Run: python3 scripts/symbolic/sgd_exponents_sympy.py
"""
import json
import os
from itertools import combinations

from sympy import Rational, Symbol, solve

POINTS = [("3/2", "2"), ("5/2", "2"), ("9/5", "3/2"), ("45/10", "28/10"), ("22/5", "3"), ("5", "3"),
          ("7", "5/2"), ("9", "3"), ("4", "3/2"), ("10", "2")]


def terms(a, b):
    u = Symbol("u")
    out = [-(a - 1) / b * (1 - u), -min(a - 1, b) * u]
    if a - 1 > b:
        out.append(-u - (1 - 1 / b) * (1 - u))
        out.append(-(2 - 1 / b) * (1 - u))
    return u, out


def optimum(a, b):
    u, gs = terms(a, b)
    candidates = {Rational(0), Rational(1)}
    for g1, g2 in combinations(gs, 2):
        for root in solve(g1 - g2, u):
            if 0 < root < 1:
                candidates.add(Rational(root))
    best = None
    for cu in candidates:
        if cu in (0, 1):
            continue
        value = max(g.subs(u, cu) for g in gs)
        if best is None or value < best[1]:
            best = (cu, value)
    return best


def main():
    rows = []
    for sa, sb in POINTS:
        a, b = Rational(sa), Rational(sb)
        u, value = optimum(a, b)
        phase = "Ia" if a < b + 1 else "II" if a < 2 * b else "III"
        rows.append({"a": sa, "b": sb, "phase": phase, "N": str(u), "t": str(1 - u), "L": str(value)})
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "symbolic", "fixtures", "sgd-exponents.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "scripts/symbolic/sgd_exponents_sympy.py (do not edit)", "rows": rows}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
