import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildConsole } from '../packages/console/index.ts';
import { launchChromium } from '../test/support/browser.ts';
import { platformClient } from '../test/support/client.ts';
import { startPlatformProcess } from '../test/support/platform.ts';

/** The console's JavaScript, gzipped, may be at most this (the budget). */
export const TARGET_GZIP_BYTES = 150 * 1024;

export interface ConsoleBenchResult {
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  htmlGzipBytes: number;
  /** `npm start` until /local/health answers 200 (the console builds meanwhile). */
  startupMs: number;
  /** Navigation start to the sign-in form usable (its button enabled), median of the loads. */
  signInMedianMs: number;
  /** Navigation start to the product list shown for a signed-in product manager, median. */
  productsMedianMs: number;
  loads: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// These run in the page, serialised on their own: nothing from this module reaches them (and the
// bench's types have no DOM, hence globalThis).
/** In the page: performance.now() (milliseconds since the navigation) once the sign-in form is usable, else false. */
const signInReady = () =>
  [...(globalThis as any).document.querySelectorAll('button')].some((b: any) => b.textContent === 'Sign in' && !b.disabled) ? performance.now() : false;
/** In the page: the same once the product list shows the three products. */
const productsReady = () => ((globalThis as any).document.querySelectorAll('main table tbody tr').length >= 3 ? performance.now() : false);

/**
 * Milliseconds from navigation start until `ready` answers, measured in the page, with the HTTP
 * cache off: a first visit. (Functions, not strings: the console's CSP forbids eval.)
 */
async function timeToReady(page: Page, url: string, ready: () => number | false): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(ready, undefined, { polling: 'raf', timeout: 30_000 });
  return Math.round((await handle.jsonValue()) as number);
}

export async function consoleBench(options: { loads: number }): Promise<ConsoleBenchResult> {
  const files = await buildConsole();
  const sized = (suffix: string) => [...files].filter(([name]) => name.endsWith(suffix)).map(([, f]) => f.body);
  const js = sized('.js');
  const gzipped = (bodies: Uint8Array[]) => bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);

  const platform = await startPlatformProcess();
  const chromium = await launchChromium();
  try {
    const client = platformClient(() => platform);
    const admin = await client.token('admin');
    for (const code of ['BENCHA', 'BENCHB', 'BENCHC']) {
      await client.api('POST', '/admin/products', { token: admin, body: { code, name: `基准 ${code}`, kind: 'general', riskLevel: 'R1' } });
    }
    const token = await client.token('product-manager');
    const url = `${platform.url}/console/?lang=en`;
    const signIn: number[] = [];
    const products: number[] = [];
    for (let i = 0; i < options.loads; i++) {
      const anonymous = await chromium.context.newPage();
      signIn.push(await timeToReady(anonymous, url, signInReady));
      await anonymous.close();
      const staff = await chromium.context.newPage();
      await staff.addInitScript((t) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('console.session', t), token);
      products.push(await timeToReady(staff, `${url}#/products`, productsReady));
      await staff.close();
    }
    return {
      jsBytes: js.reduce((sum, body) => sum + body.length, 0),
      jsGzipBytes: gzipped(js),
      cssGzipBytes: gzipped(sized('.css')),
      htmlGzipBytes: gzipped(sized('.html')),
      startupMs: platform.startupMs,
      signInMedianMs: median(signIn),
      productsMedianMs: median(products),
      loads: options.loads,
    };
  } finally {
    await chromium.close();
    await platform.stop();
  }
}
