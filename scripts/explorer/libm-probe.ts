/**
 * Why the explorer's CSV can differ from the CLI's in the last digits: the
 * same Math calls on the same 2,000 seeded arguments per function, in this
 * Node and in headless Chromium, counting the arguments where the two engines
 * return different doubles (each engine's libm rounds differently; both are
 * within an ulp or so of the true value).
 *
 *   npx tsx scripts/explorer/libm-probe.ts
 */
import puppeteer from 'puppeteer-core';

/** Runs in both engines (as text, so that nothing is transpiled in between). */
const PROBE = `(() => {
  let s = 12345;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const out = {};
  for (const f of ['exp', 'log', 'pow', 'sin', 'cos', 'atan2', 'cosh', 'sinh', 'expm1', 'log1p', 'hypot', 'sqrt']) {
    const values = [];
    for (let i = 0; i < 2000; i++) {
      const x = (rnd() - 0.3) * 20, y = rnd() * 5;
      if (f === 'pow') values.push(Math.pow(Math.abs(x) + 0.1, y - 2.5));
      else if (f === 'atan2' || f === 'hypot') values.push(Math[f](x, y));
      else if (f === 'log' || f === 'log1p' || f === 'sqrt') values.push(Math[f](Math.abs(x) + 1e-3));
      else values.push(Math[f](x));
    }
    out[f] = values;
  }
  return out;
})()`;

const node = (0, eval)(PROBE) as Record<string, number[]>;
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const chromium = (await page.evaluate(PROBE)) as Record<string, number[]>;
  console.log(`Node ${process.version} against ${await browser.version()}: arguments (of 2000) with a different double`);
  for (const f of Object.keys(node)) console.log(`${f.padEnd(6)} ${node[f].filter((v, i) => !Object.is(v, chromium[f][i])).length}`);
} finally {
  await browser.close();
}
