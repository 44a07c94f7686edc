/**
 * The contour balance shipped for the default contours (inversion/contours.ts PRECOMPUTED_PARAMETERS) is, to the
 * bit, what hyperbolicParameters computes, and the default contours use it.
 */
import { describe, expect, it } from 'vitest';
import { hyperbolicParameters, PRECOMPUTED_PARAMETERS } from '../../src/numeric/inversion/contours.js';
import { INVERSION_DEFAULTS } from '../../src/numeric/inversion/index.js';
import { NUMERIC_DEFAULTS } from '../../src/numeric/index.js';

describe('precomputed contour parameters', () => {
  for (const [key, params] of PRECOMPUTED_PARAMETERS) {
    it(`${key}: equal to the balance solved now`, () => {
      const [method, nodes, windowRatio, sectorMargin] = key.split(' ');
      expect(method).toBe('hyperbolic');
      expect(hyperbolicParameters(Number(nodes), Number(windowRatio), Number(sectorMargin), INVERSION_DEFAULTS.roundoff)).toEqual(params);
    });
  }

  it('cover the default nested and coarse contours', () => {
    const keys = PRECOMPUTED_PARAMETERS.map(([key]) => key);
    for (const nodes of [NUMERIC_DEFAULTS.nestedNodes.hyperbolic, NUMERIC_DEFAULTS.coarseNodes.hyperbolic]) {
      expect(keys).toContain(`hyperbolic ${nodes} ${INVERSION_DEFAULTS.windowRatio} ${INVERSION_DEFAULTS.sectorMargin}`);
    }
  });
});
