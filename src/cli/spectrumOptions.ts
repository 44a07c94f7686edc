/** Turning --a/--b/--M or --spectrum into a validated Spectrum. */
import { InvalidArgumentError } from '../core/errors.js';
import { loadSpectrumFile, powerLawSpectrum, type Spectrum } from '../spectrum/index.js';
import { parseReal, parseSize } from './parse.js';

export interface SpectrumFlags {
  a?: string;
  b?: string;
  M?: string;
  spectrum?: string;
}

export function spectrumFromFlags(flags: SpectrumFlags, defaultM = 'inf'): Spectrum {
  if (flags.spectrum !== undefined) {
    for (const flag of ['a', 'b', 'M'] as const) {
      if (flags[flag] !== undefined) {
        throw new InvalidArgumentError(`--${flag}`, 'cannot be combined with --spectrum (the file gives the spectrum)', flags[flag]);
      }
    }
    return loadSpectrumFile(flags.spectrum);
  }
  if (flags.a === undefined) throw new InvalidArgumentError('--a', 'is required (or give --spectrum FILE)');
  if (flags.b === undefined) throw new InvalidArgumentError('--b', 'is required (or give --spectrum FILE)');
  const a = parseReal('--a', flags.a);
  const b = parseReal('--b', flags.b);
  const M = parseSize('--M', flags.M ?? defaultM);
  try {
    return powerLawSpectrum({ a, b, M });
  } catch (error) {
    // Re-label API argument names as the flags the user typed.
    if (error instanceof InvalidArgumentError) {
      throw error.renamed(`--${error.argument}`);
    }
    throw error;
  }
}
