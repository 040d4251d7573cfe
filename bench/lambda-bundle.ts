import { build, type BuildOptions, type Metafile } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CREATE_REQUIRE_BANNER } from '../infra/lib/platform-function.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The esbuild options that PlatformFunction's `bundling` props become: NodejsFunction runs
 * `esbuild --bundle <entry> --target=node22 --platform=node --format=esm --outfile=<dir>/index.mjs
 * --minify --sourcemap --sources-content=false --banner:js=<banner> --main-fields=module,main`
 * from the project root, with no --external (externalModules: []). Keep the two in step:
 * bench/import-profile.ts reports whether its re-bundle matches the synthesised bundle.
 */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: CREATE_REQUIRE_BANNER },
  external: [],
  absWorkingDir: ROOT,
  logLevel: 'warning',
} satisfies BuildOptions;

/**
 * The entry of the reference bundle (bench/coldstart-reference.ts): a function that only
 * creates the DynamoDB DocumentClient, the least any function of the platform does.
 */
export const REFERENCE_ENTRY = path.join(ROOT, 'bench', 'coldstart-reference.ts');

/** Bundles `entry` as the CDK construct does, to `<outdir>/index.mjs` (+ index.mjs.map). */
export async function bundleLambda(entry: string, outdir: string, options: { metafile?: boolean } = {}): Promise<{ file: string; metafile?: Metafile }> {
  const file = path.join(outdir, 'index.mjs');
  const result = await build({ ...LAMBDA_BUILD_OPTIONS, entryPoints: [entry], outfile: file, metafile: options.metafile ?? false });
  return { file, ...(result.metafile && { metafile: result.metafile }) };
}
