import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformClient } from '../support/client.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform.ts';

/** The Powertools log lines (JSON) of the process output at the given level. */
function logLines(output: string, level: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((entry) => entry.level === level);
}

/** A request the admin API refuses with a 400, which it logs at INFO ('request refused'). */
async function refusedRequest(platform: RunningPlatform): Promise<void> {
  const { token, api } = platformClient(() => platform);
  const res = await api('POST', '/admin/products', { token: await token('product-manager'), body: { code: 'bad code!' } });
  expect(res.status).toBe(400);
}

/** Waits until the output has a 'request refused' INFO line, at most `ms`; returns the output then. */
async function outputAfter(platform: RunningPlatform, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !logLines(platform.output(), 'INFO').some((e) => e.message === 'request refused')) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return platform.output();
}

describe('npm start log level', () => {
  describe('by default', () => {
    let platform: RunningPlatform;
    const inherited = process.env.POWERTOOLS_LOG_LEVEL;
    beforeAll(async () => {
      // What a user's shell has: no POWERTOOLS_LOG_LEVEL (the test runner sets one for its own process).
      delete process.env.POWERTOOLS_LOG_LEVEL;
      try {
        platform = await startPlatformProcess();
      } finally {
        if (inherited !== undefined) process.env.POWERTOOLS_LOG_LEVEL = inherited;
      }
    }, 90_000);
    afterAll(async () => platform?.stop());

    it('logs at WARN: a refused request leaves no INFO line in the output', async () => {
      await refusedRequest(platform);
      const output = await outputAfter(platform, 2_000);
      expect(logLines(output, 'INFO')).toEqual([]);
    });
  });

  describe('with POWERTOOLS_LOG_LEVEL=INFO', () => {
    let platform: RunningPlatform;
    beforeAll(async () => {
      platform = await startPlatformProcess({ POWERTOOLS_LOG_LEVEL: 'INFO' });
    }, 90_000);
    afterAll(async () => platform?.stop());

    it('logs the refused request at INFO', async () => {
      await refusedRequest(platform);
      const output = await outputAfter(platform, 10_000);
      expect(logLines(output, 'INFO')).toContainEqual(expect.objectContaining({ message: 'request refused', status: 400 }));
    });
  });
});
