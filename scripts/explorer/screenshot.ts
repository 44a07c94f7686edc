/**
 * The README's picture of the explorer: serves explorer-dist/ (run
 * `npm run explorer:build` first) on 127.0.0.1, opens it in headless Chromium
 * at 1280x800 with the default problem, waits until every figure is drawn
 * (the measured fits included) and writes docs/explorer.png.
 *
 *   npm run explorer:build && npx tsx scripts/explorer/screenshot.ts [query] [out.png] [width] [height]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { serveStatic } from '../../test/explorer/serve.js';

const ROOT = join(import.meta.dirname, '..', '..');
const [query = '', out = join(ROOT, 'docs', 'explorer.png'), width = '1280', height = '800'] = process.argv.slice(2);
const dist = join(ROOT, 'explorer-dist');
if (!existsSync(join(dist, 'index.html'))) throw new Error('explorer-dist/ is missing: run npm run explorer:build first');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const site = await serveStatic(dist);
const browser = await puppeteer.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: Number(height) });
  await page.goto(`${site.url}index.html${query ? `?${query}` : ''}`);
  await page.waitForSelector('#view-curves[data-drawn="true"]', { timeout: 60_000 });
  await page.waitForSelector('#view-phase[data-drawn="true"]', { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('frontier-note')?.textContent?.includes('N*') || document.getElementById('frontier-note')?.textContent?.startsWith('No'), { timeout: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await page.screenshot({ path: out, fullPage: process.env.FULL_PAGE === '1' });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await site.close();
}
