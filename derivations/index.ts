/** The derivations of the symbolic layer, one file per result, in reading order. */
import type { DerivationEntry } from '../src/symbolic/derivation.js';
import computeOptimal from './compute-optimal.js';
import crossTerm from './cross-term.js';
import dataLaw from './data-law.js';
import earlyFiniteSize from './early-finite-size.js';
import effectiveRidge from './effective-ridge.js';
import sgd from './sgd.js';
import timeLaw from './time-law.js';
import trainTestGap from './train-test-gap.js';
import widthBiasLaw from './width-bias-law.js';
import widthLaw from './width-law.js';

/** Metadata now, steps on first use (each entry's build()). */
export const DERIVATIONS: readonly DerivationEntry[] = [timeLaw, effectiveRidge, widthLaw, widthBiasLaw, dataLaw, crossTerm, earlyFiniteSize, trainTestGap, computeOptimal, sgd];
