import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listFunctionBundles } from '../infra/lib/bundles.ts';

export interface ColdstartRow {
  function: string;
  sizeKB: number;
  runs: number;
  importMedianMs: number;
  importP90Ms: number;
  processMedianMs: number;
  withinTargets: boolean;
}

const TARGET_BYTES = 1_000_000;
const TARGET_IMPORT_MS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * For every function bundle as `npm run synth` builds it: its size, and the time to import it
 * (module evaluation included: config parse, SDK client construction) in a fresh Node process.
 */
export function coldstart(options: { runs: number; outdir: string; synth: boolean }): ColdstartRow[] {
  if (options.synth) {
    const synth = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', options.outdir], { stdio: 'inherit' });
    if (synth.status !== 0) throw new Error('npm run synth failed');
  }
  return listFunctionBundles(options.outdir).map((bundle) => {
    const importMs: number[] = [];
    const processMs: number[] = [];
    const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); console.log(performance.now() - t);`;
    for (let i = 0; i < options.runs; i++) {
      const started = performance.now();
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, AWS_REGION: 'cn-north-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...bundle.environment, NODE_OPTIONS: '' },
      });
      processMs.push(performance.now() - started);
      if (run.status !== 0) throw new Error(`${bundle.path} failed to import:\n${run.stderr}`);
      importMs.push(Number(run.stdout.trim()));
    }
    const row = {
      function: bundle.path.split('/').slice(-2, -1)[0] ?? path.basename(path.dirname(bundle.file)),
      sizeKB: Math.round(bundle.sizeBytes / 1024),
      runs: options.runs,
      importMedianMs: round(median(importMs)),
      importP90Ms: round(percentile(importMs, 90)),
      processMedianMs: round(median(processMs)),
    };
    return { ...row, withinTargets: bundle.sizeBytes < TARGET_BYTES && row.importMedianMs < TARGET_IMPORT_MS };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
