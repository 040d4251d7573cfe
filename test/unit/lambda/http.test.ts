import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError } from '../../../packages/core/index.ts';
import { createHttpHandler, defineRoute, parseGroupsClaim } from '../../../packages/lambda/index.ts';
import { httpEvent, parse } from '../../support/http.ts';

const calls: unknown[] = [];
const handler = createHttpHandler([
  defineRoute({
    method: 'POST',
    path: '/admin/things/{id}',
    operationId: 'createThing',
    summary: 'test route',
    auth: { resource: 'products', access: 'write' },
    params: z.strictObject({ id: z.string().regex(/^[A-Z]+$/) }),
    body: z.strictObject({ n: z.number().int() }),
    responses: { 201: { description: 'ok' } },
    handle: async (input) => {
      calls.push(input);
      if (input.body.n === 409) throw new ConflictError('taken', 'already there');
      if (input.body.n === 500) throw new Error('secret table name leaked');
      return { status: 201, body: { id: input.params.id, by: input.by } };
    },
  }),
]);
const call = async (...args: Parameters<typeof httpEvent>) => parse(await handler(httpEvent(...args), {} as never));

describe('createHttpHandler', () => {
  it('routes, validates and passes the caller with the role that authorised it', async () => {
    const res = await call('POST', '/admin/things/ABC', { body: { n: 1 }, role: ['auditor', 'product-manager'], user: 'pm.li' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'ABC', by: { actor: 'pm.li', role: 'product-manager', channel: 'admin-api' } });
  });

  it('answers 401 without authorizer claims and 403 for a role without access', async () => {
    const none = await call('POST', '/admin/things/ABC', { body: { n: 1 }, role: null });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toBe('application/problem+json');
    const wrong = await call('POST', '/admin/things/ABC', { body: { n: 1 }, role: 'service-agent' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.type).toBe('urn:sms-platform:problem:forbidden');
  });

  it('names unknown fields and bad values in the errors of a 400', async () => {
    const res = await call('POST', '/admin/things/abc', { body: { n: 1.5, extra: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['id']);
    const body = await call('POST', '/admin/things/ABC', { body: { n: 1.5, extra: true } });
    expect(body.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'n']);
  });

  it('refuses malformed JSON with 400 and a non-JSON content type with 415', async () => {
    expect((await call('POST', '/admin/things/ABC', { body: '{not json' })).status).toBe(400);
    const res = await call('POST', '/admin/things/ABC', { body: 'n=1', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  it('answers 400 naming the parameter for a malformed percent-escape in the path, without calling the route', async () => {
    const before = calls.length;
    const res = await call('POST', '/admin/things/%E0%A4%A', { body: { n: 1 } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'id', message: 'is not a valid percent-encoded path segment' }]);
    expect(calls.length).toBe(before);
  });

  it('refuses a body over 1 MB with 413 problem+json, without calling the route', async () => {
    const before = calls.length;
    const res = await call('POST', '/admin/things/ABC', { body: JSON.stringify({ n: 1, pad: 'x'.repeat(1_000_001) }) });
    expect(res.status).toBe(413);
    expect(res.body.type).toBe('urn:sms-platform:problem:payload-too-large');
    expect(calls.length).toBe(before);
  });

  it('answers 404 for an unknown path and 405 for a known path with another method', async () => {
    expect((await call('GET', '/admin/nothing')).status).toBe(404);
    expect((await call('DELETE', '/admin/things/ABC')).status).toBe(405);
  });

  it('maps domain errors to their status with a reason, and hides the details of a 500', async () => {
    const conflict = await call('POST', '/admin/things/ABC', { body: { n: 409 } });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ status: 409, reason: 'taken', detail: 'already there' });
    const crash = await call('POST', '/admin/things/ABC', { body: { n: 500 } });
    expect(crash.status).toBe(500);
    expect(JSON.stringify(crash.body)).not.toContain('secret');
    expect(crash.body).toEqual({ type: 'urn:sms-platform:problem:internal', title: 'Internal error', status: 500 });
  });
});

describe('parseGroupsClaim', () => {
  it('reads the forms API Gateway and Cognito produce', () => {
    expect(parseGroupsClaim('[admin auditor]')).toEqual(['admin', 'auditor']);
    expect(parseGroupsClaim('["admin","auditor"]')).toEqual(['admin', 'auditor']);
    expect(parseGroupsClaim(['admin'])).toEqual(['admin']);
    expect(parseGroupsClaim('admin')).toEqual(['admin']);
    expect(parseGroupsClaim(undefined)).toEqual([]);
    expect(parseGroupsClaim('[]')).toEqual([]);
  });
});
