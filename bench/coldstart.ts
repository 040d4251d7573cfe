import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listFunctionBundles } from '../infra/lib/bundles.ts';
import { REFERENCE_ENTRY, bundleLambda } from './lambda-bundle.ts';

export interface ColdstartRow {
  function: string;
  sizeKB: number;
  runs: number;
  importMedianMs: number;
  importP90Ms: number;
  /** importMedianMs / the reference's importMedianMs. */
  ratio: number;
  processMedianMs: number;
  nodeOptions: string;
  withinTargets: boolean;
}

export const TARGET_BYTES = 1_000_000;
export const TARGET_RATIO = 1.6;
export const REFERENCE_NAME = 'reference (DocumentClient only)';

/** What every import runs with, besides the function's own environment. */
const BASE_ENV = { AWS_REGION: 'cn-north-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
/** What the CDK construct sets on every function (infra/lib/platform-function.ts). */
const DEPLOYED_NODE_OPTIONS = '--enable-source-maps';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Target {
  name: string;
  file: string;
  sizeBytes: number;
  environment: Record<string, string>;
  importMs: number[];
  processMs: number[];
}

/** One fresh `node` that imports `target.file` with its environment; records both times. */
function importOnce(target: Target): void {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(target.file).href)}); console.log(performance.now() - t);`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...target.environment },
  });
  target.processMs.push(performance.now() - started);
  if (run.status !== 0) throw new Error(`${target.name} (${target.file}) failed to import:\n${run.stderr}`);
  target.importMs.push(Number(run.stdout.trim()));
}

/**
 * For every function bundle as `npm run synth` builds it, and for a reference bundle built with
 * the same esbuild options (bench/coldstart-reference.ts: only the DynamoDB DocumentClient): its
 * size, and the time to import it (module evaluation included: config parse, SDK client
 * construction) in a fresh Node process with the function's environment as the template sets
 * it, NODE_OPTIONS included (`--enable-source-maps`, so Node reads the .map file at import).
 * Runs are interleaved (reference, then each function, round after round) so that load from
 * elsewhere on the machine hits every row alike; `ratio` is a function's median over the
 * reference's. `nodeOptions`, when given, replaces NODE_OPTIONS for every row (e.g. '' to see
 * the cost of source maps).
 */
export async function coldstart(options: { runs: number; outdir: string; synth: boolean; nodeOptions?: string }): Promise<ColdstartRow[]> {
  if (options.synth) {
    const synth = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', options.outdir], { stdio: 'inherit' });
    if (synth.status !== 0) throw new Error('npm run synth failed');
  }
  const referenceDir = path.join(options.outdir, 'coldstart-reference');
  rmSync(referenceDir, { recursive: true, force: true });
  const reference = await bundleLambda(REFERENCE_ENTRY, referenceDir);
  const withNodeOptions = (environment: Record<string, string>) => ({
    ...BASE_ENV,
    ...environment,
    ...(options.nodeOptions !== undefined && { NODE_OPTIONS: options.nodeOptions }),
  });
  const targets: Target[] = [
    {
      name: REFERENCE_NAME,
      file: reference.file,
      sizeBytes: statSync(reference.file).size,
      environment: withNodeOptions({ NODE_OPTIONS: DEPLOYED_NODE_OPTIONS, POWERTOOLS_SERVICE_NAME: 'coldstart-reference', TABLE_NAME: 'placeholder-table_name' }),
      importMs: [],
      processMs: [],
    },
    ...listFunctionBundles(options.outdir).map((bundle) => ({
      name: bundle.path.split('/').slice(-2, -1)[0] ?? path.basename(path.dirname(bundle.file)),
      file: bundle.file,
      sizeBytes: bundle.sizeBytes,
      environment: withNodeOptions(bundle.environment),
      importMs: [],
      processMs: [],
    })),
  ];
  for (let round = 0; round < options.runs; round++) {
    for (const target of targets) importOnce(target);
  }
  const referenceMedian = median(targets[0]!.importMs);
  return targets.map((target) => {
    const importMedianMs = median(target.importMs);
    const ratio = Math.round((importMedianMs / referenceMedian) * 100) / 100;
    return {
      function: target.name,
      sizeKB: Math.round(target.sizeBytes / 1024),
      runs: options.runs,
      importMedianMs: round(importMedianMs),
      importP90Ms: round(percentile(target.importMs, 90)),
      ratio,
      processMedianMs: round(median(target.processMs)),
      nodeOptions: target.environment.NODE_OPTIONS ?? '',
      withinTargets: target.sizeBytes < TARGET_BYTES && ratio <= TARGET_RATIO,
    };
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
