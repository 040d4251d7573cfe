import * as fc from 'fast-check';
import { expect } from 'vitest';
import { platformClient } from '../support/client.ts';
import { useInProcessPlatform } from '../support/in-process-platform.ts';
import { startWriteWatch } from '../support/write-watch.ts';

/** What an answer must never show: internal error text, stack frames, AWS or DynamoDB names. */
export const INTERNAL_TEXT = /exception|dynamodb|transact|conditionalcheck|stack|node_modules|\.ts:\d|\bat \S+ \(|aws-sdk|internal error text/i;

/**
 * The local runtime in this process with a write watch in front of its DynamoDB Local, and the
 * checks every fuzzed request must pass: never a 5xx; a 4xx is problem+json (naming the field
 * when it is a validation problem) and wrote nothing; no answer shows internal text.
 */
export function fuzzPlatform(tableName: string) {
  let watch: Awaited<ReturnType<typeof startWriteWatch>> | undefined;
  const local = useInProcessPlatform({
    tableName,
    dynamoEndpointFor: async (endpoint) => (watch = await startWriteWatch(endpoint)).endpoint,
  });
  const client = platformClient(() => local.platform());
  let cases = 0;

  /** Sends one request and checks the answer; returns it for further checks. */
  async function check(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
    cases++;
    const before = watch!.writes();
    const res = await fetch(`${local.platform().url}${path}`, {
      method,
      headers: { ...(options.token && { authorization: `Bearer ${options.token}` }), 'content-type': 'application/json', ...options.headers },
      ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    const what = `${method} ${path} ${(options.rawBody ?? JSON.stringify(options.body) ?? '').slice(0, 300)} -> ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    const body: any = text ? JSON.parse(text) : undefined;
    if (res.status >= 400) {
      expect(text, what).not.toMatch(INTERNAL_TEXT);
      expect(res.headers.get('content-type'), what).toBe('application/problem+json');
      expect(body, what).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status });
      if (body.type.endsWith(':validation')) {
        expect(body.errors?.length, what).toBeGreaterThan(0);
        for (const e of body.errors) expect(e.field, what).toEqual(expect.any(String));
      }
      expect(watch!.writes() - before, `${what}: wrote ${watch!.writes() - before} item(s)`).toBe(0);
    }
    return { status: res.status, body };
  }

  return { local, client, check, cases: () => cases };
}

/** Values that break a field: wrong types, extremes, control characters, huge texts. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 9007199254740991, -9007199254740991, 1e308, '', ' ', '\u0000', 'a\u0000b', '\u200b', '\ud800', 'a\u0085b', '🙂', '%E0%A4%A', '__proto__', 'null'),
  fc.constantFrom('x'.repeat(1001), '很'.repeat(5000), 'x'.repeat(100_000)),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A valid body with one field replaced by a hostile value, or a field added, or one removed. */
export function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const added = fc.record({ key: fc.string({ minLength: 1, maxLength: 10 }), value: hostileValue }).map(({ key, value }) => ({ ...valid, [key]: value }));
  if (keys.length === 0) return fc.oneof(added, fc.anything({ maxDepth: 2 }));
  return fc.oneof(
    fc.record({ key: fc.constantFrom(...keys), value: hostileValue }).map(({ key, value }) => ({ ...valid, [key]: value })),
    fc.record({ key: fc.constantFrom(...keys) }).map(({ key }) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    added,
    fc.anything({ maxDepth: 2 }),
  );
}
