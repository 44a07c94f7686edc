/**
 * Setup file, active only when TEST_CPU_LOG names a file (vitest.config.ts): appends one line per test file,
 * "CPU seconds, worker pid, path", the CPU of the worker process from before the file's import to the end of its
 * last hook: imports, hooks and tests, which vitest's JSON reporter does not give per file (it times the tests
 * only). Child processes (Chromium, rsvg-convert, pdflatex, the built CLI) are not counted.
 * `TEST_CPU_LOG=/tmp/cpu.log npx vitest run`, then `sort -rn /tmp/cpu.log | head`.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

// This module runs again before every test file (with isolate: false too), so this is the file's start.
const started = process.cpuUsage();
let path = '?';

beforeAll(({}, suite) => {
  const filepath = (suite as { filepath?: string; file?: { filepath?: string } }).filepath ?? (suite as { file?: { filepath?: string } }).file?.filepath;
  if (filepath) path = relative(process.cwd(), filepath);
});

afterAll(() => {
  const used = process.cpuUsage(started);
  appendFileSync(process.env.TEST_CPU_LOG!, `${((used.user + used.system) / 1e6).toFixed(2)} ${process.pid} ${path}\n`);
});
