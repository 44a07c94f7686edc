"""Independent oracle for the ridge laws (THEORY E25) and the summed-rate law of a power-decay schedule (E28c).

Ridge: at N = P = inf the loss at t = inf is L(r) = sum_k k^-a (r / (r + k^-b))^2. SymPy derives the Mellin
integral of the kernel (1 + u)^-2 (u = lambda_k / r) in closed form, giving the leading term
  (a-1)/b < 2:  L ~ (1/b) Gamma(s) Gamma(2 - s) r^s,  s = (a-1)/b,
  (a-1)/b > 2:  L ~ zeta(a - 2b) r^2,
and mpmath sums the series at 30 digits (Euler-Maclaurin tail by nsum) at a few ridges, so the TypeScript law and
the DMFT are both checked against numbers that share no code with them.

Schedule: eta_s = eta_0 (1 + s/t0)^-gamma. SymPy integrates the rate, S(t) ~ eta_0 t0^gamma t^(1-gamma)/(1-gamma)
(gamma < 1), eta_0 t0 log t (gamma = 1), and mpmath gives S_inf = eta_0 t0^gamma zeta(gamma, t0) (Hurwitz) for
gamma > 1; exact partial sums at t = 1e6 are written beside them.

Writes test/symbolic/fixtures/ridge-schedule-laws.json. Run: python3 scripts/symbolic/ridge_schedule_laws_sympy.py
"""
import json
import os

import mpmath as mp
from sympy import Rational, Symbol, gamma, integrate, oo, simplify

mp.mp.dps = 30

RIDGE_CASES = [("3/2", "5/4"), ("3", "3/2"), ("6", "5/4"), ("2", "3/2")]
RIDGES = ["1e-8", "1e-6", "1e-4"]
SCHEDULES = [(10, "1/2"), (100, "1/4"), (10, "1"), (10, "3/2")]


def mellin_bias(s_value):
    """integral_0^inf u^(s-1) (1 + u)^-2 du in closed form, checked against Gamma(s) Gamma(2 - s)."""
    u = Symbol("u", positive=True)
    value = integrate(u ** (s_value - 1) / (1 + u) ** 2, (u, 0, oo))
    assert abs((value - gamma(s_value) * gamma(2 - s_value)).evalf(40)) < mp.mpf("1e-35"), (s_value, value)
    return value


def mode_sum(f, scale, head=2000, order=6):
    """sum_{k >= 1} f(k): the first `head` terms exactly, the rest by Euler-Maclaurin (integral by quadrature split at
    the kernel's scale k ~ r^(-1/b), end corrections with Bernoulli numbers); a generic nsum extrapolation is wrong here
    (the summand turns over at k ~ 1e6 for r = 1e-8)."""
    total = mp.fsum(f(k) for k in range(1, head))
    points = [head] + [x for x in (scale / 10, scale, scale * 10) if x > head] + [mp.inf]
    total += mp.quad(f, points) + f(head) / 2
    for j in range(1, order + 1):
        total -= mp.bernoulli(2 * j) / mp.factorial(2 * j) * mp.diff(f, head, 2 * j - 1)
    return total


def ridge_case(a_text, b_text):
    a, b = Rational(a_text), Rational(b_text)
    s = (a - 1) / b
    if s < 2:
        coefficient = mellin_bias(s) / b
        law = {"exponent": str(s), "prefactor": mp.nstr(mp.mpf(coefficient.evalf(40)), 20)}
    else:
        law = {"exponent": "2", "prefactor": mp.nstr(mp.zeta(mp.mpf(a - 2 * b)), 20)}
    af, bf = mp.mpf(a.p) / a.q, mp.mpf(b.p) / b.q
    values = {}
    for r_text in RIDGES:
        r = mp.mpf(r_text)
        values[r_text] = mp.nstr(mode_sum(lambda k: k ** -af * (r / (r + k ** -bf)) ** 2, r ** (-1 / bf)), 20)
    return {"a": a_text, "b": b_text, "law": law, "loss": values}


def schedule_case(t0, gamma_text):
    g = Rational(gamma_text)
    s = Symbol("s", positive=True)
    t = Symbol("t", positive=True)
    rate = (1 + s / t0) ** -g
    gf = mp.mpf(g.p) / g.q
    # sum_{s < T} (1 + s/t0)^-g = t0^g [zeta(g, t0) - zeta(g, t0 + T)] (Hurwitz; digamma at g = 1)
    def partial(T):
        return t0 * (mp.digamma(t0 + T) - mp.digamma(t0)) if g == 1 else mp.mpf(t0) ** gf * (mp.zeta(gf, t0) - mp.zeta(gf, t0 + T))

    # the closed form against the direct sum at 1000 steps
    assert abs(partial(1000) / mp.fsum((1 + k / mp.mpf(t0)) ** -gf for k in range(0, 1000)) - 1) < mp.mpf("1e-25")
    total = partial(10 ** 6)
    out = {"t0": t0, "gamma": gamma_text, "S_1e6_over_eta0": mp.nstr(total, 20)}
    if g < 1:
        integral = simplify(integrate(rate, (s, 0, t)))
        # The integral is t0/(1-g) ((1 + t/t0)^(1-g) - 1): its leading term in t is t0^g t^(1-g)/(1-g).
        ratio = simplify(integral / (t0 ** g * t ** (1 - g) / (1 - g)))
        assert abs(ratio.subs(t, 10 ** 30).evalf(30) - 1) < mp.mpf("1e-6"), ratio
        out["law"] = {"exponent": str(1 - g), "prefactor": mp.nstr(mp.mpf((t0 ** g / (1 - g)).evalf(30)), 20), "integral": str(integral)}
    elif g == 1:
        out["law"] = {"log_prefactor": str(t0)}
    else:
        out["law"] = {"S_inf_over_eta0": mp.nstr(mp.mpf(t0) ** gf * mp.zeta(gf, t0), 20)}
    return out


def main():
    fixture = {
        "source": "scripts/symbolic/ridge_schedule_laws_sympy.py (SymPy Mellin integral, mpmath 30-digit sums)",
        "ridge": [ridge_case(a, b) for a, b in RIDGE_CASES],
        "schedule": [schedule_case(t0, g) for t0, g in SCHEDULES],
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "symbolic", "fixtures", "ridge-schedule-laws.json")
    with open(path, "w") as handle:
        json.dump(fixture, handle, indent=1)
        handle.write("\n")
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
