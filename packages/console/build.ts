import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(HERE, 'src', 'main.tsx');
const STYLES = path.join(HERE, 'static', 'console.css');
const INDEX_TEMPLATE = path.join(HERE, 'static', 'index.html');
// packages/core's message text module hashes with node:crypto; the console never calls that
// function, so it resolves to a stub that tree-shaking drops (checked below, not assumed).
const NODE_STUB = path.join(HERE, 'node-stub.ts');

/** One file of the built console, by its path relative to the console's root (index.html, console-<hash>.js, ...). */
export interface ConsoleFile {
  contentType: string;
  body: Uint8Array;
  /** The name carries a content hash: it may be cached for good. index.html may not. */
  immutable: boolean;
}

export type ConsoleFiles = Map<string, ConsoleFile>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

function buildOptions(): esbuild.BuildOptions & { write: false; metafile: true } {
  return {
    entryPoints: { console: ENTRY, styles: STYLES },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    write: false,
    metafile: true,
    // A virtual folder: nothing is written, the names are only relative to it.
    outdir: path.join(HERE, 'out'),
    entryNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(HERE, 'tsconfig.json'),
    alias: { 'node:crypto': NODE_STUB },
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    // Chinese strings as UTF-8, not \u escapes: a third of the size.
    charset: 'utf8',
    logLevel: 'silent',
  };
}

/** The built console (in memory): index.html, the hashed script and stylesheet. */
export async function buildConsole(): Promise<ConsoleFiles> {
  return collect(await esbuild.build(buildOptions()));
}

/** The same, synchronously: CDK constructs are built synchronously. */
export function buildConsoleSync(): ConsoleFiles {
  return collect(esbuild.buildSync(buildOptions()));
}

function collect(result: esbuild.BuildResult<{ write: false; metafile: true }>): ConsoleFiles {
  const files: ConsoleFiles = new Map();
  let script: string | undefined;
  let stylesheet: string | undefined;
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    files.set(name, { contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', body: output.contents, immutable: true });
    if (name.startsWith('console-') && name.endsWith('.js')) script = name;
    if (name.startsWith('styles-') && name.endsWith('.css')) stylesheet = name;
  }
  if (!script || !stylesheet) throw new Error(`The console build made no script or stylesheet: ${[...files.keys()].join(', ')}`);
  assertBrowserOnly(result.metafile);
  const html = readFileSync(INDEX_TEMPLATE, 'utf8').replace('%SCRIPT%', `./${script}`).replace('%STYLESHEET%', `./${stylesheet}`);
  files.set('index.html', { contentType: CONTENT_TYPES['.html']!, body: new TextEncoder().encode(html), immutable: false });
  return files;
}

/**
 * The console borrows pure functions from packages/core through its index; this keeps that honest:
 * no server-side code (zod, the AWS SDK, a Node built-in) may reach the bundle.
 */
function assertBrowserOnly(metafile: esbuild.Metafile): void {
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      if (path.resolve(input) === NODE_STUB || /node_modules\/(zod|@aws-sdk|@smithy|libphonenumber-js|ulid)\//.test(input)) {
        throw new Error(`The console bundle would carry server-side code: ${input}`);
      }
    }
  }
}
