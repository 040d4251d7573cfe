import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { buildConsole, contentSecurityPolicy, smsTextSettings, type ConsoleConfig } from '../../packages/console/index.ts';
import { LOCAL_ISSUER } from '../../packages/local/index.ts';

export interface FakeHostedUi {
  /** Where the console is served, as CloudFront would: at the root, config.json in "cognito" mode. */
  url: string;
  /** What the token endpoint was asked, for the test to inspect. */
  exchanges: Array<{ clientId: string; codeVerifierMatched: boolean; redirectUri: string }>;
  signOuts: number;
  stop(): Promise<void>;
}

const CLIENT_ID = 'console-client';

const body = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

/**
 * The deployed shape of the console without AWS: its files at the root of an origin (as
 * CloudFront serves them) with a config.json in "cognito" mode, a stand-in of the Cognito Hosted
 * UI (authorize: straight back with a code; token: checks the PKCE verifier against the
 * challenge, then issues an ID token the local API accepts; logout), and /admin/* passed to the
 * local platform (deployed, the API is another origin that allows this one by CORS).
 */
export async function startFakeHostedUi(options: { platformUrl: string; jwtSecret: string; role: string; user: string }): Promise<FakeHostedUi> {
  const files = await buildConsole();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const exchanges: FakeHostedUi['exchanges'] = [];
  let signOuts = 0;
  let origin = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname.startsWith('/admin/')) {
        const answer = await fetch(`${options.platformUrl}${url.pathname}${url.search}`, {
          method: req.method ?? 'GET',
          headers: Object.fromEntries(['authorization', 'content-type', 'idempotency-key'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : []))),
          ...(req.method !== 'GET' && req.method !== 'HEAD' && { body: await body(req) }),
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        return res.end(await answer.text());
      }
      if (url.pathname === '/cognito/oauth2/authorize') {
        const code = randomUUID();
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
        const back = new URL(url.searchParams.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (url.pathname === '/cognito/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const codeVerifierMatched = !!issued && createHash('sha256').update(verifier).digest('base64url') === issued.challenge;
        exchanges.push({ clientId: form.get('client_id') ?? '', codeVerifierMatched, redirectUri: form.get('redirect_uri') ?? '' });
        if (!codeVerifierMatched || form.get('client_id') !== CLIENT_ID || form.get('redirect_uri') !== issued.redirectUri) {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: 'invalid_grant' }));
        }
        const idToken = await new SignJWT({ 'cognito:groups': [options.role], 'cognito:username': options.user, token_use: 'id' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(LOCAL_ISSUER)
          .setSubject(options.user)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(options.jwtSecret));
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ id_token: idToken, access_token: 'unused', token_type: 'Bearer', expires_in: 3600 }));
      }
      if (url.pathname === '/cognito/logout') {
        signOuts += 1;
        res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' });
        return res.end();
      }
      if (url.pathname === '/config.json') {
        const config: ConsoleConfig = { mode: 'cognito', apiUrl: origin, cognito: { domain: `${origin}/cognito`, clientId: CLIENT_ID }, sms: smsTextSettings({}) };
        res.writeHead(200, { 'content-type': 'application/json', 'content-security-policy': contentSecurityPolicy() });
        return res.end(JSON.stringify(config));
      }
      const file = files.get(url.pathname === '/' ? 'index.html' : url.pathname.slice(1));
      if (!file) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { 'content-type': file.contentType, 'content-security-policy': contentSecurityPolicy() });
      res.end(file.body);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    exchanges,
    get signOuts() {
      return signOuts;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
