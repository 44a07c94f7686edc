/**
 * The size of the momentum kernel K_t(u) = D_t(-u) under a learning-rate schedule on the circle rule's nodes
 * |z| = 1 + 4/t (THEORY E28c): it sets the round-off of the rule (no a-priori bound for momentum with varying rates).
 * Rerun: npx tsx scripts/numeric/schedule-kernel-size.mts
 */
const cases = [[0.3, 0.9, 'wsd', 200], [0.3, 0.9, 'cos', 300], [0.5, 0.5, 'cos', 600], [1.0, 0.5, 'wsd', 600], [2, 0.9, 'cos', 600]] as const;
for (const [eta, beta, kind, T] of cases) {
  const rate = (s: number) => kind === 'cos' ? eta * (1 + Math.cos(Math.PI * Math.min(s, T) / T)) / 2 : (s < 0.5 * T ? eta : s >= T ? 0 : eta * (1 - (s - 0.5 * T) / (0.5 * T)));
  for (const t of [T / 2, T]) {
    const R = 1 + 4 / t, m = Math.ceil(4.7 * t) + 16;
    let worst = 0;
    for (let j = 0; j < m; j++) {
      const th = (j + 0.5) * Math.PI / m;
      const zr = R * Math.cos(th), zi = R * Math.sin(th);
      const iz = 1 / (R * R);
      const ur = (zr - (1 + beta) + beta * zr * iz) / eta, ui = (zi - beta * zi * iz) / eta;
      let d0r = 1, d0i = 0, d1r = 1, d1i = 0;
      for (let s = 0; s < t; s++) {
        const ar = 1 + beta + rate(s) * ur, ai = rate(s) * ui;
        const nr = ar * d0r - ai * d0i - beta * d1r, ni = ar * d0i + ai * d0r - beta * d1i;
        d1r = d0r; d1i = d0i; d0r = nr; d0i = ni;
      }
      worst = Math.max(worst, Math.hypot(d0r, d0i));
    }
    console.log(`eta0 ${eta} beta ${beta} ${kind}:${T} t=${t}: max|K| = ${worst.toPrecision(3)}, R^t = ${(R ** t).toPrecision(3)}`);
  }
}
