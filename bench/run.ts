/**
 * `npm run bench`: every benchmark in one process, so the figures are ratios
 * against baselines measured in the same run on the same machine.
 * Each part lives beside its layer's bench file and returns plain records.
 */
import { cpus } from 'node:os';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

async function main(): Promise<void> {
  const records: BenchRecord[] = [];
  // `npm run bench -- numeric` runs one part (`-- first-curve` and `-- ci` only with their names: `cli` holds the
  // first curve's rows, and `ci` runs the test job twice, several minutes).
  const only = process.argv[2];
  const parts: Array<[string, string, string]> = [
    ['numeric', './numeric.js', 'benchNumeric'],
    ['horizon', './horizon.js', 'benchHorizon'],
    ['simulation', './simulation.js', 'benchSimulation'],
    ['reconcile', './reconcile.js', 'benchReconcile'],
    ['sgd', './sgd.js', 'benchSgd'],
    ['sgd-reconcile', './sgd-reconcile.js', 'benchSgdReconcile'],
    ['data', './data.js', 'benchData'],
    ['cli', './cli.js', 'benchCli'],
    ['first-curve', './cli.js', 'benchFirstCurve'],
    ['ci', './ci.js', 'benchCi'],
  ];
  console.log(`scaling-dmft bench: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'})`);
  for (const [label, path, exportName] of parts) {
    if (only !== undefined ? label !== only : label === 'first-curve' || label === 'ci') continue;
    const module = (await import(path)) as Record<string, (emit: (record: BenchRecord) => void) => Promise<BenchRecord[]>>;
    const run = module[exportName];
    if (typeof run !== 'function') throw new Error(`bench part ${label} does not export ${exportName}`);
    // Records are printed as they come (a long part shows its first results early); parts that return them at the end print then.
    const printed = new Set<BenchRecord>();
    const print = (record: BenchRecord) => {
      if (printed.has(record)) return;
      printed.add(record);
      records.push(record);
      console.log(`${label.padEnd(11)} ${record.name.padEnd(60)} ${record.ms.toFixed(1).padStart(10)} ms${record.note ? `  ${record.note}` : ''}`);
    };
    const result = await run(print);
    for (const record of result) print(record);
  }
}

await main();
