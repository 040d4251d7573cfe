/**
 * `npx tsx bench/import-profile.ts <function> [--top N]`: what takes the bytes of one function's
 * bundle. <function> is a folder of functions/ (e.g. points-events, admin-api) or `reference`
 * (bench/coldstart-reference.ts). The entry is bundled again with the CDK construct's esbuild
 * options plus a metafile, and each input's bytes in the output are summed by group
 * (@aws-sdk/*, @smithy/*, zod, packages/core, functions/admin-api, ...) and by package, beside
 * the reference bundle's bytes for the same group: the "extra" column is what makes the function
 * heavier than the reference. When cdk.out/ holds a synthesised bundle of the function, says
 * whether the re-bundle is byte-identical to it (i.e. whether the options still match).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { listFunctionBundles } from '../infra/lib/bundles.ts';
import { REFERENCE_ENTRY, ROOT, bundleLambda } from './lambda-bundle.ts';

interface Sizes {
  total: number;
  groups: Map<string, number>;
  packages: Map<string, number>;
}

/** `node_modules/@aws-sdk/core/dist-es/x.js` -> ['@aws-sdk/*', '@aws-sdk/core']; `packages/core/x.ts` -> ['packages/core', 'packages/core']. */
export function groupOf(input: string): { group: string; pkg: string } {
  const at = input.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    if (parts[0]!.startsWith('@')) return { group: `${parts[0]}/*`, pkg: `${parts[0]}/${parts[1]}` };
    return { group: parts[0]!, pkg: parts[0]! };
  }
  const parts = input.split('/');
  const folder = ['packages', 'functions'].includes(parts[0]!) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.length > 1 ? parts[0]! : input;
  return { group: folder, pkg: folder };
}

function sizesOf(metafile: Metafile): Sizes {
  const [, output] = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))!;
  const groups = new Map<string, number>();
  const packages = new Map<string, number>();
  let attributed = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const { group, pkg } = groupOf(input);
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    packages.set(pkg, (packages.get(pkg) ?? 0) + bytesInOutput);
    attributed += bytesInOutput;
  }
  const glue = output.bytes - attributed;
  groups.set('(banner, esbuild glue)', glue);
  packages.set('(banner, esbuild glue)', glue);
  return { total: output.bytes, groups, packages };
}

async function profile(entry: string): Promise<{ sizes: Sizes; code: Buffer }> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'import-profile-'));
  try {
    const { file, metafile } = await bundleLambda(entry, outdir, { metafile: true });
    return { sizes: sizesOf(metafile!), code: readFileSync(file) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

function table(label: string, of: Map<string, number>, total: number, reference: Map<string, number>, top: number) {
  return [...of.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => ({
      [label]: name,
      KB: kb(bytes),
      share: `${((bytes / total) * 100).toFixed(1)}%`,
      referenceKB: kb(reference.get(name) ?? 0),
      extraKB: kb(bytes - (reference.get(name) ?? 0)),
    }));
}

const args = process.argv.slice(2);
const name = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 10;
if (!name || !(top > 0)) {
  console.error('usage: npx tsx bench/import-profile.ts <functions/ folder, e.g. admin-api | reference> [--top N]');
  process.exit(2);
}
const entry = name === 'reference' ? REFERENCE_ENTRY : path.join(ROOT, 'functions', name, 'index.ts');
if (!existsSync(entry)) {
  console.error(`No entry ${path.relative(ROOT, entry)}`);
  process.exit(2);
}

const [fn, reference] = await Promise.all([profile(entry), profile(REFERENCE_ENTRY)]);
console.log(`${name}: ${kb(fn.sizes.total)} KB (reference: ${kb(reference.sizes.total)} KB, DocumentClient only)`);

const outdir = path.join(ROOT, 'cdk.out');
const synthesised = existsSync(outdir) ? listFunctionBundles(outdir).find((b) => b.environment.POWERTOOLS_SERVICE_NAME === name) : undefined;
if (synthesised) {
  const same = readFileSync(synthesised.file).equals(fn.code);
  console.log(
    same
      ? `Same bytes as the synthesised bundle of ${synthesised.path} (cdk.out).`
      : `Differs from the synthesised bundle of ${synthesised.path} (${synthesised.sizeBytes} bytes against ${fn.code.length}): cdk.out is older than the code, or the options in bench/lambda-bundle.ts no longer match infra/lib/platform-function.ts.`,
  );
} else if (name !== 'reference') {
  console.log('No synthesised bundle of it in cdk.out to compare with (npm run synth).');
}

console.log(`\nBytes in the bundle by group (top ${top}):`);
console.table(table('group', fn.sizes.groups, fn.sizes.total, reference.sizes.groups, top));
console.log(`\nBy package (top ${top}):`);
console.table(table('package', fn.sizes.packages, fn.sizes.total, reference.sizes.packages, top));
