import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fuzzPlatform, hostileValue, mutated } from './harness.ts';

/**
 * Every operation of the admin API's OpenAPI document, called with generated path parameters,
 * query parameters and bodies (valid ones with one field broken, added or dropped; any JSON;
 * text that is not JSON): never a 5xx, a 4xx is problem+json naming the field and writes
 * nothing, and no answer shows internal text.
 */
const fuzz = fuzzPlatform('fuzz-admin-api');
let admin = '';
let messageId = '';
let caseId = '';
let surveyId = '';
const started = Date.now();

/** (Query values stay under 400 characters: a URL over the HTTP server's header limit (16 KB here, about 10 KB in API Gateway) is refused before any code of ours.) */

/** A valid body for each operation that takes one. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  createProduct: { code: 'NEWP', name: '新产品', kind: 'general', riskLevel: 'R1' },
  updateProduct: { name: '改名' },
  setProductListing: { listed: true },
  putCustomer: { phone: '13800138001', assetsFen: 0, riskTolerance: 'C3' },
  adjustPoints: { delta: 5, reason: 'fuzz' },
  redeemWithPoints: { productCode: 'FUZZ' },
  upgradeTier: {},
  grantPackage: { productCode: 'FUZZ' },
  publishMessage: { productCode: 'FUZZ', body: '早盘策略' },
  closeCase: { resolution: '已处理', awardSuggestionBonus: false },
  createSurvey: { productCode: 'FUZZ', question: '您满意吗？', windowHours: 24 },
};

const validParameter = (name: string) => ({ code: 'FUZZ', customerId: 'C1', productCode: 'FUZZ', messageId, caseId, surveyId })[name] ?? 'X';
const hostileSegment = fc.oneof(fc.constantFrom('%E0%A4%A', '%', '%00', '..', 'x'.repeat(500), '%F0%9F%99%82', 'a%2Fb', '%ZZ'), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));

beforeAll(async () => {
  admin = await fuzz.client.token('admin');
  await fuzz.client.api('POST', '/admin/products', { token: admin, body: { code: 'FUZZ', name: '模糊', kind: 'general', riskLevel: 'R1' } });
  await fuzz.client.api('PUT', '/admin/customers/C1', { token: admin, body: { phone: '13800138000', assetsFen: 0, riskTolerance: 'C3' } });
  messageId = (await fuzz.client.api('POST', '/admin/messages', { token: admin, body: { productCode: 'FUZZ', body: 'hello' } })).body.messageId;
  await fuzz.client.text('13800138000', 'TS 短信重复');
  caseId = (await fuzz.client.api('GET', '/admin/cases?kind=complaint', { token: admin })).body.items[0].caseId;
  surveyId = (await fuzz.client.api('POST', '/admin/surveys', { token: admin, body: { productCode: 'FUZZ', question: '满意吗？' } })).body.surveyId;
});

afterAll(() => {
  console.log(`admin API fuzz: ${fuzz.cases()} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe('the admin API under generated requests', () => {
  it('answers every operation with a 2xx or a problem+json 4xx, writing nothing when it refuses', async () => {
    const document = (await fuzz.client.api('GET', '/openapi.json')).body;
    for (const [template, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const pathNames = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const queryNames = (operation.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string);
        const valid = VALID_BODIES[operation.operationId];
        const body = operation.requestBody
          ? fc.oneof(
              { weight: 6, arbitrary: mutated(valid ?? {}).map((b) => ({ body: b })) },
              { weight: 1, arbitrary: fc.constantFrom('{', 'not json', '', '[]', 'null', '"x"', '1e999').map((raw) => ({ raw })) },
            )
          : fc.constant({});
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileSegment }), { minLength: pathNames.length, maxLength: pathNames.length }),
            fc.dictionary(fc.constantFrom(...(queryNames.length ? queryNames : ['x'])), fc.oneof(fc.string({ maxLength: 20 }), hostileValue.map((v) => (typeof v === "string" ? v : JSON.stringify(v)).slice(0, 400))), { maxKeys: 3 }),
            body,
            fc.string({ minLength: 1, maxLength: 20 }).filter((k) => /^[\x21-\x7e]+$/.test(k)),
            async (segments, query, payload, key) => {
              const path = pathNames.reduce((p, name, i) => p.replace(`{${name}}`, segments[i] ?? encodeURIComponent(validParameter(name))), template);
              const search = new URLSearchParams(query).toString();
              const url = `${path}${search ? `?${search}` : ''}`;
              const headers = { 'idempotency-key': key };
              if ('raw' in payload) await fuzz.check(method.toUpperCase(), url, { token: admin, rawBody: payload.raw as string, headers });
              else await fuzz.check(method.toUpperCase(), url, { token: admin, ...('body' in payload && { body: payload.body }), headers });
            },
          ),
          { numRuns: 40 },
        );
      }
    }
  }, 240_000);
});
