import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from '../../packages/local/demo.ts';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatformProcess({}, ['--demo']);
  // The demo loads once the platform answers; it ends by printing what to try next.
  for (const deadline = Date.now() + 60_000; !/Try next:/.test(platform.output()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
}, 120_000);
afterAll(async () => platform?.stop());

const { api, token } = platformClient(() => platform);

describe('npm start -- --demo, then npm run demo', () => {
  it('loads the demo data into the platform it starts and prints what to try next', async () => {
    expect(platform.output()).toMatch(/Demo data loaded \(\d+ changes\)\. Try next:\n {2}# a token/);
    const products = (await api('GET', '/admin/products', { token: await token('admin') })).body.items;
    expect(products.map((p: { code: string }) => p.code).sort()).toEqual(DEMO_PRODUCTS.map((p) => p.code).sort());
  });

  it('npm run demo against it (PLATFORM_URL) finds everything loaded and changes nothing', () => {
    const run = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, PLATFORM_URL: platform.url }, encoding: 'utf8', timeout: 90_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Loading the demo data into ${platform.url}...\nDemo data already loaded: nothing changed. Try next:`);
  });

  it('npm run demo with no platform at PLATFORM_URL says how to start one, and fails', () => {
    const run = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, PLATFORM_URL: 'http://127.0.0.1:9' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No local platform answers at http://127.0.0.1:9 (start one with npm start, or set PLATFORM_URL).');
  });
});
