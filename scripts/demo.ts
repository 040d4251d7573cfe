/**
 * `npm run demo`: loads the demo data set (packages/local/demo.ts) into a platform already running,
 * at PLATFORM_URL (default http://127.0.0.1:3000), through its HTTP API; loading again changes nothing.
 * `npm start -- --demo` does the same for the platform it starts.
 */
import path from 'node:path';
import { loadDemo } from '../packages/local/demo.ts';

async function main(): Promise<void> {
  const url = (process.env.PLATFORM_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const health = await fetch(`${url}/local/health`).catch(() => undefined);
  if (health?.status !== 200) {
    console.error(`No local platform answers at ${url} (start one with npm start, or set PLATFORM_URL).`);
    process.exitCode = 1;
    return;
  }
  console.log(`Loading the demo data into ${url}...`);
  await loadDemo(url, (line) => console.log(line));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main().catch((error: unknown) => {
    console.error('The demo data could not be loaded:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
