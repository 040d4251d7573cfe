import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../../packages/lambda/index.ts';
import { startStubServer, type StubServer } from './stub-local-server.ts';

let server: StubServer;
beforeAll(async () => {
  server = await startStubServer();
});
afterAll(() => server.stop());

const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init });

describe('GET /console/ (the local runtime serves the staff console)', () => {
  it('serves index.html with the CSP the deployed console has, and the script it names', async () => {
    const res = await get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const script = /src="\.\/(console-[A-Z0-9]+\.js)"/.exec(await res.text())?.[1];
    expect(script).toBeDefined();
    const js = await get(`/console/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await js.text()).length).toBeGreaterThan(1000);
  }, 30_000);

  it('redirects /console to /console/, keeping the query', async () => {
    const res = await get('/console?lang=en');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/console/?lang=en');
  });

  it('serves config.json for dev-token sign-in on this origin, with the SMS text settings the admin API composes with', async () => {
    const saved = process.env.SMS_SIGNATURE;
    process.env.SMS_SIGNATURE = '【测试证券】';
    try {
      const res = await get('/console/config.json');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        mode: 'local',
        sms: { signature: '【测试证券】', footer: '回TD退订', adviserLine: '投资顾问：{name}（执业编号{code}）', riskWarning: '投资有风险，入市需谨慎。', maxSegments: 10 },
      });
    } finally {
      if (saved === undefined) delete process.env.SMS_SIGNATURE;
      else process.env.SMS_SIGNATURE = saved;
    }
  });

  it.each([
    ['GET', '/console/nothing.js', 404, 'no-such-file'],
    ['GET', '/console/..%2Fpackage.json', 404, 'no-such-file'],
    ['GET', '/console/%E0%A4%A', 400, 'bad-request'],
    ['POST', '/console/', 405, 'method-not-allowed'],
  ])('answers %s %s with a %i problem', async (method, path, status, slug) => {
    const res = await get(path, { method });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: problemType(slug), status });
  });
});
