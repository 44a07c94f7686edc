export * from './spectrum.js';
export { loadSpectrumFile, parseSpectrumText } from './file.js';
