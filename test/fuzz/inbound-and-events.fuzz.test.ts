import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumedEvents } from '../../events/index.ts';
import { INTERNAL_TEXT, fuzzPlatform, hostileValue, mutated } from './harness.ts';

/**
 * The inbound SMS payload and every consumed event, generated (valid samples with one field
 * broken, added or dropped; any JSON) through the local runtime: never a 5xx; a 4xx is
 * problem+json naming the field and writes nothing; a refused event target reports no internal text.
 */
const fuzz = fuzzPlatform('fuzz-inbound-events');
const SAMPLES = path.resolve(import.meta.dirname, '../../events/samples');
const started = Date.now();

beforeAll(async () => {
  const admin = await fuzz.client.token('admin');
  await fuzz.client.api('POST', '/admin/products', { token: admin, body: { code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1' } });
  await fuzz.client.api('PUT', '/admin/customers/C10001', { token: admin, body: { phone: '13800138000', assetsFen: 0, riskTolerance: 'C3' } });
});

afterAll(() => {
  console.log(`inbound SMS and events fuzz: ${fuzz.cases()} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe('inbound SMS under generated payloads', () => {
  it('accepts or refuses each with a 4xx, never a 5xx', async () => {
    const from = fc.oneof(fc.constantFrom('13800138000', '+8613800138000', '+86 138 0013 8000', '+8613800138000a', ''), fc.string({ maxLength: 40 }), hostileValue);
    const text = fc.oneof(fc.constantFrom('DY IPO', 'TD', 'START', 'JF', 'Y', '?', 'DY\u0000IPO', '很'.repeat(2000)), fc.string({ maxLength: 80 }), hostileValue);
    await fc.assert(
      fc.asyncProperty(fc.record({ from, text, inboundMessageId: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 120 }), hostileValue) }, { requiredKeys: [] }), async (body) => {
        await fuzz.check('POST', '/local/sms/inbound', { body });
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe('consumed events under generated details', () => {
  const samples = Object.entries(consumedEvents).flatMap(([source, types]) =>
    Object.keys(types).map((detailType) => JSON.parse(readFileSync(path.join(SAMPLES, `${source}.${detailType}.json`), 'utf8')) as { source: string; 'detail-type': string; detail: Record<string, unknown> }),
  );

  it.each(samples.map((s) => [`${s.source}/${s['detail-type']}`, s] as const))('%s: a 2xx whose failures show no internal text, or a 4xx naming the field', async (_name, sample) => {
    await fc.assert(
      fc.asyncProperty(mutated(sample.detail), fc.string({ minLength: 1, maxLength: 12 }), async (detail, id) => {
        const res = await fuzz.check('POST', '/local/events', { body: { source: sample.source, 'detail-type': sample['detail-type'], detail, id } });
        if (res.status === 202) for (const failure of res.body.failures) expect(failure.error).not.toMatch(INTERNAL_TEXT);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
