import { describe, expect, it } from 'vitest';
import { powerLawSpectrum } from '../src/index.js';
describe('smoke', () => { it('builds a spectrum', () => { expect(powerLawSpectrum({ a: 2, b: 1 }).M).toBe(Infinity); }); });
