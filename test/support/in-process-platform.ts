import { afterAll, beforeAll } from 'vitest';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../packages/local/index.ts';

/**
 * The local runtime `npm start` runs, started in this test process (so that a test can load a
 * large audience straight into its DynamoDB Local and read its stand-ins), for one test file.
 * `env` is what the handlers read at import (like a Lambda's environment); it is restored after.
 */
export function useInProcessPlatform(options: Omit<LocalPlatformOptions, 'port'> & { env?: Record<string, string> }) {
  let platform: LocalPlatform | undefined;
  const saved = new Map<string, string | undefined>();
  beforeAll(async () => {
    // As `npm start` does: no metric lines in the test output unless a test asks for them.
    for (const [name, value] of Object.entries({ POWERTOOLS_METRICS_DISABLED: 'true', ...options.env })) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    const { env: _env, ...platformOptions } = options;
    platform = await startLocalPlatform({ port: 0, ...platformOptions });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const current = (): LocalPlatform => {
    if (!platform) throw new Error('The platform starts in beforeAll');
    return platform;
  };
  return {
    platform: current,
    /** A client's SMS to the platform (POST /local/sms/inbound). */
    text: (from: string, text: string) => fetch(`${current().url}/local/sms/inbound`, { method: 'POST', body: JSON.stringify({ from, text }) }),
    /** What went to `to` (or to anyone), oldest first (GET /local/sms/outbox). */
    outbox: async (to?: string) =>
      ((await (await fetch(`${current().url}/local/sms/outbox${to ? `?to=${encodeURIComponent(to)}` : ''}`)).json()) as {
        items: Array<{ to: string; body: string; smsType: string; at: string }>;
      }).items,
  };
}
