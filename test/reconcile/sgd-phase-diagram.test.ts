/**
 * The compute-optimal phase diagram (THEORY E21, E29): the colours are the
 * closed forms cell by cell, SGD saturates at 1/2 in phase III while
 * gradient flow keeps rising, the region labels sit in the phases they name,
 * the measured cases are marked, and the SVG renders deterministically
 * through Vega with no warnings.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import {
  phaseDiagramData,
  REGION_LABELS,
  renderPhaseDiagram,
  writePhaseDiagram,
  type MeasuredCase,
} from '../../src/reconcile/phase-diagram.js';
import { gradientFlowComputeOptimalN, sgdComputeOptimalLaws, sgdPhase } from '../../src/reconcile/sgd-laws.js';
import { scratchDir } from '../scratch.js';

const MEASURED: MeasuredCase[] = [
  { a: 5, b: 1.5, dynamics: 'sgd', fitted: 0.4986, stderr: 0.007, closedForm: 0.5 },
  { a: 5, b: 1.5, dynamics: 'gf', fitted: 0.6997, stderr: 0.0098, closedForm: 0.7 },
];

describe('phase-diagram data', () => {
  const data = phaseDiagramData();

  it('every rectangle holds exponents of its own bin, equal to the closed forms at its cells', () => {
    expect(data.rects.length).toBeGreaterThan(100);
    for (const r of data.rects) {
      expect(r.min).toBeGreaterThanOrEqual(r.bin - 1e-9);
      expect(r.max).toBeLessThan(r.bin + 0.05 + 1e-9);
      const a = (r.a0 + r.a1) / 2;
      const b = (r.b0 + r.b1) / 2;
      const expected = r.dynamics === 'sgd' ? sgdComputeOptimalLaws(a, b).laws.compute_optimal_N.exponent : gradientFlowComputeOptimalN(a, b).exponent;
      expect(expected).toBeGreaterThanOrEqual(r.min - 1e-3);
      expect(expected).toBeLessThanOrEqual(r.max + 1e-3);
    }
  });

  it('SGD never exceeds 1/2 (phase III saturates); gradient flow reaches above 0.8 in a > 2b', () => {
    expect(data.range.sgd.max).toBeCloseTo(0.5, 12);
    expect(data.range.gf.max).toBeGreaterThan(0.8);
    for (const r of data.rects.filter((x) => x.dynamics === 'sgd' && x.a0 > 2 * x.b1)) expect(r.min).toBeCloseTo(0.5, 12);
    for (const r of data.rects.filter((x) => x.dynamics === 'gf' && x.a0 > 2 * x.b1 + 0.2)) expect(r.min).toBeGreaterThan(0.5);
  });

  it('the region labels lie inside the regions they name', () => {
    const phases = REGION_LABELS.sgd.map((l) => sgdPhase(l.a, l.b));
    expect(phases).toEqual(['Ia', 'II', 'III']);
    REGION_LABELS.sgd.forEach((l, k) => expect(l.text.startsWith(phases[k])).toBe(true));
    expect(REGION_LABELS.gf.map((l) => (l.a - 1 < l.b ? 'a-1 < b' : 'a-1 > b'))).toEqual(REGION_LABELS.gf.map((l) => l.text.slice(0, 7)));
  });

  it('rejects b ranges reaching below 1 (the SGD phases need b > 1)', () => {
    expect(() => phaseDiagramData({ bRange: [0.5, 2] })).toThrow(InvalidArgumentError);
    expect(() => phaseDiagramData({ bRange: [0.5, 2] })).toThrow(/bRange/);
  });
});

describe('rendering', () => {
  it('renders both panels, the boundaries and the measured cases, without Vega warnings, deterministically', async () => {
    const first = await renderPhaseDiagram({ measured: MEASURED });
    const second = await renderPhaseDiagram({ measured: MEASURED });
    expect(first.warnings).toEqual([]);
    expect(first.svg).toBe(second.svg);
    expect(first.svg.startsWith('<svg')).toBe(true);
    expect(first.svg).toContain('One-pass SGD: phases Ia, II, III');
    expect(first.svg).toContain('Gradient flow (no noise term)');
    expect(first.svg).toContain('fit 0.499 ± 0.007 (theory 0.500)');
    expect(first.svg).toContain('fit 0.700 ± 0.010 (theory 0.700)');
    expect(first.svg).toContain('III: x = 1/2');
  });

  it('writes the SVG and its Vega-Lite JSON', async () => {
    const dir = scratchDir('phase-diagram-');
    try {
      const written = await writePhaseDiagram(dir, { measured: MEASURED });
      const svg = await readFile(written.svgPath, 'utf8');
      const spec = JSON.parse(await readFile(written.vegaLitePath, 'utf8')) as { hconcat: unknown[] };
      expect(svg.endsWith('</svg>\n')).toBe(true);
      expect(spec.hconcat).toHaveLength(2);
      expect(written.svgPath.endsWith('phase_diagram_compute_optimal_N.svg')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
