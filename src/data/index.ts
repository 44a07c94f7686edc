/** Public entry of the data layer: data sets, populations (THEORY E30), spectrum fits (E31), the real-data comparison and report section. */
export { type ArrayFormat, type NumericArray, formatOfPath, parseCsvArray, parseJsonArrays, parseNpy, parseNpyHeader, parseNpz, readArrays, FEATURE_KEYS, TARGET_KEYS } from './readers.js';
export { type Dataset, DATA_LIMITS, checkDataSize, estimateBytes, loadDataset, makeDataset } from './dataset.js';
export { type FeatureMap, type TargetSpec, RAW_FEATURES, MAX_RELU_WIDTH, STREAM_RELU_WEIGHTS, describeFeatureMap, describeTarget, labelTargets, parseTargetSpec, reluFeatures } from './features.js';
export { type MnistImages, MNIST_PIXELS, MNIST_PACKAGE, loadMnist, mnistContentHash, mnistDigitFiles } from './mnist.js';
export { type Population, type PopulationInput, centredCovariance, computePopulation } from './population.js';
export { type DataSource, type SourcedPopulation, POPULATION_VERSION, defaultCacheDir, describeSource, loadSourceDataset, populationFromSource, populationKey } from './source.js';
export {
  type ExponentEstimate, type LawInterval, type ModeWindow, type SpectrumFit, type SpectrumFitOptions,
  SPECTRUM_FIT_DEFAULTS, automaticWindow, fitSpectrum, lawIntervals, logBinned,
} from './fit.js';
export {
  type AgreementRow, type ExperimentGrid, type RealDataComparison, type Verdict, DEFAULT_EXPERIMENT_TIMES, MEDIAN_INTERVAL_LEVEL, MIN_SEEDS_FOR_VERDICT, RELATIVE_TOLERANCE,
  clampRoundoff, compareWithExperiment, experimentData, medianInterval, seedVerdict,
} from './experiment.js';
export { sampleBootstrapSpectra } from './bootstrap.js';
export { REAL_DATA_COST, estimateExperimentSeconds, estimateReplicateFitSeconds, estimateSampleBootstrapSeconds } from './cost.js';
export { type RealDataSection, type RealDataSectionInput, fitMarkdown, populationMarkdown, realDataSection } from './report.js';
export { MNIST_REPORT_GRID, mnistReportSection } from './mnist-section.js';
export { type SgdExperimentSettings, DEFAULT_SGD_EXPERIMENT_STEPS, compareSgdWithExperiment, estimateSgdExperimentSeconds } from './sgd-experiment.js';
