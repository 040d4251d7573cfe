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
  /** With `sourceMapsCost`: the same imports with `--enable-source-maps` left out of NODE_OPTIONS. */
  noMapsMedianMs?: number;
  noMapsRatio?: number;
  /** Median of the per-round differences (with source maps - without), same process pairs. */
  sourceMapsMs?: number;
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

interface Variant {
  environment: Record<string, string>;
  importMs: number[];
  processMs: number[];
}

interface Target {
  name: string;
  file: string;
  sizeBytes: number;
  /** As deployed (or as --node-options says), then, for sourceMapsCost, without source maps. */
  variants: Variant[];
}

/** One fresh `node` that imports `file` with the variant's environment; records both times. */
function importOnce(name: string, file: string, variant: Variant): void {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...variant.environment },
  });
  variant.processMs.push(performance.now() - started);
  if (run.status !== 0) throw new Error(`${name} (${file}) failed to import:\n${run.stderr}`);
  variant.importMs.push(Number(run.stdout.trim()));
}

function withoutSourceMaps(environment: Record<string, string>): Record<string, string> {
  const nodeOptions = (environment.NODE_OPTIONS ?? '').split(/\s+/).filter((o) => o && o !== '--enable-source-maps');
  return { ...environment, NODE_OPTIONS: nodeOptions.join(' ') };
}

/**
 * For every function bundle as `npm run synth` builds it, and for a reference bundle built with
 * the same esbuild options (bench/coldstart-reference.ts: only the DynamoDB DocumentClient): its
 * size, and the time to import it (module evaluation included: config parse, SDK client
 * construction) in a fresh Node process with the function's environment as the template sets
 * it, NODE_OPTIONS included (`--enable-source-maps`: Node then reads and parses the .map file at
 * import). Runs are interleaved (reference, then each function, round after round) so that load
 * from elsewhere on the machine hits every row alike; `ratio` is a function's median over the
 * reference's. `nodeOptions`, when given, replaces NODE_OPTIONS for every row. `sourceMapsCost`
 * imports each bundle a second time per round without `--enable-source-maps` (the two in
 * alternating order) and reports those medians and the paired difference.
 */
export async function coldstart(options: { runs: number; outdir: string; synth: boolean; nodeOptions?: string; sourceMapsCost?: boolean }): Promise<ColdstartRow[]> {
  if (options.synth) {
    const synth = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', options.outdir], { stdio: 'inherit' });
    if (synth.status !== 0) throw new Error('npm run synth failed');
  }
  const referenceDir = path.join(options.outdir, 'coldstart-reference');
  rmSync(referenceDir, { recursive: true, force: true });
  const reference = await bundleLambda(REFERENCE_ENTRY, referenceDir);
  const variants = (environment: Record<string, string>): Variant[] => {
    const deployed = { ...BASE_ENV, ...environment, ...(options.nodeOptions !== undefined && { NODE_OPTIONS: options.nodeOptions }) };
    return [deployed, ...(options.sourceMapsCost ? [withoutSourceMaps(deployed)] : [])].map((env) => ({ environment: env, importMs: [], processMs: [] }));
  };
  const targets: Target[] = [
    {
      name: REFERENCE_NAME,
      file: reference.file,
      sizeBytes: statSync(reference.file).size,
      variants: variants({ NODE_OPTIONS: DEPLOYED_NODE_OPTIONS, POWERTOOLS_SERVICE_NAME: 'coldstart-reference', TABLE_NAME: 'placeholder-table_name' }),
    },
    ...listFunctionBundles(options.outdir).map((bundle) => ({
      name: bundle.path.split('/').slice(-2, -1)[0] ?? path.basename(path.dirname(bundle.file)),
      file: bundle.file,
      sizeBytes: bundle.sizeBytes,
      variants: variants(bundle.environment),
    })),
  ];
  for (let round = 0; round < options.runs; round++) {
    for (const target of targets) {
      const order = round % 2 ? [...target.variants].reverse() : target.variants;
      for (const variant of order) importOnce(target.name, target.file, variant);
    }
  }
  const referenceMedians = targets[0]!.variants.map((v) => median(v.importMs));
  const ratio = (ms: number, variant: number) => Math.round((ms / referenceMedians[variant]!) * 100) / 100;
  return targets.map((target) => {
    const [deployed, noMaps] = target.variants as [Variant, Variant | undefined];
    const importMedianMs = median(deployed.importMs);
    const row: ColdstartRow = {
      function: target.name,
      sizeKB: Math.round(target.sizeBytes / 1024),
      runs: options.runs,
      importMedianMs: round(importMedianMs),
      importP90Ms: round(percentile(deployed.importMs, 90)),
      ratio: ratio(importMedianMs, 0),
      processMedianMs: round(median(deployed.processMs)),
      nodeOptions: deployed.environment.NODE_OPTIONS ?? '',
      withinTargets: false,
    };
    if (noMaps) {
      row.noMapsMedianMs = round(median(noMaps.importMs));
      row.noMapsRatio = ratio(median(noMaps.importMs), 1);
      row.sourceMapsMs = round(median(deployed.importMs.map((ms, i) => ms - noMaps.importMs[i]!)));
    }
    row.withinTargets = target.sizeBytes < TARGET_BYTES && row.ratio <= TARGET_RATIO;
    return row;
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
