import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { problemType } from '../../../packages/lambda/index.ts';
import { NOT_JSON, OVERSIZE_JSON, WRONG_TYPES, startStubServer, type StubServer } from './stub-local-server.ts';

let server: StubServer;
beforeAll(async () => {
  server = await startStubServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  vi.clearAllMocks();
});

async function expectProblem(res: Awaited<ReturnType<StubServer['post']>>, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json()).toMatchObject({ type: problemType(slug), status });
  expect(server.reached()).toEqual([]);
}

describe.each(['/local/sms/inbound', '/local/events', '/local/scheduler/tick', '/local/sms/carrier'])('POST %s', (path) => {
  it('answers a body that is not JSON with a 400 bad-request problem and acts on nothing', async () => {
    const res = await server.post(path, NOT_JSON);
    await expectProblem(res, 400, 'bad-request');
    expect(res.json().detail).toMatch(/not valid JSON/);
  });

  it.each(WRONG_TYPES)('answers the JSON value %s (not an object) with a 400 bad-request problem and acts on nothing', async (body) => {
    const res = await server.post(path, body);
    await expectProblem(res, 400, 'bad-request');
    expect(res.json().detail).toMatch(/must be a JSON object/);
  });

  it('answers an empty body with a 400 bad-request problem and acts on nothing', async () => {
    const res = await server.post(path, '');
    await expectProblem(res, 400, 'bad-request');
    expect(res.json().detail).toMatch(/required/);
  });

  it('answers a body just over 1,000,000 bytes with a 413 payload-too-large problem and acts on nothing', async () => {
    await expectProblem(await server.post(path, OVERSIZE_JSON), 413, 'payload-too-large');
  });

  it('still answers a JSON object with the wrong fields with a 400 validation problem naming them', async () => {
    const res = await server.post(path, '{"unexpected":1}');
    await expectProblem(res, 400, 'validation');
    expect((res.json().errors as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('POST /local/sms/carrier', () => {
  it('refuses an unknown outcome or a bad number with 400 and sets nothing', async () => {
    for (const body of [{ phone: '+8613800138000', outcome: 'lost' }, { phone: 'not a number', outcome: 'blocked' }, { phone: '+8613800138000' }]) {
      const res = await server.post('/local/sms/carrier', JSON.stringify(body));
      await expectProblem(res, 400, 'validation');
    }
  });

  it('sets the outcome for the number in any format with 204', async () => {
    const res = await server.post('/local/sms/carrier', JSON.stringify({ phone: '138 0013 8000', outcome: 'invalid-number' }));
    expect(res.status).toBe(204);
    expect(server.deps.carrier.setOutcome).toHaveBeenCalledWith('+8613800138000', 'invalid-number');
  });
});

describe('/admin/* behind the JWT authorizer stand-in', () => {
  it('answers a body just over 1,000,000 bytes with a 413 payload-too-large problem without calling the admin handler', async () => {
    const token = await server.deps.auth.issue('admin');
    await expectProblem(await server.post('/admin/products', OVERSIZE_JSON, { authorization: `Bearer ${token}` }), 413, 'payload-too-large');
  });

  it('answers a request without a token with a 401 unauthenticated problem without calling the admin handler', async () => {
    await expectProblem(await server.post('/admin/products', '{}'), 401, 'unauthenticated');
  });
});
