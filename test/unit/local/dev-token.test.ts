import { SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_ISSUER, createLocalAuth } from '../../../packages/local/index.ts';

const SECRET = 'unit-secret-0123456789abcdef0123456789abcdef';
const auth = createLocalAuth(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the local key, with exactly the `iat` and `exp` given (absent when undefined). */
async function signed(times: { iat?: number; exp?: number }): Promise<string> {
  const payload: JWTPayload = { 'cognito:groups': ['admin'], 'cognito:username': 'mallory', token_use: 'id', ...times };
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setIssuer(LOCAL_ISSUER).sign(new TextEncoder().encode(SECRET));
}

describe('local authorizer (createLocalAuth().verify)', () => {
  it('accepts a token it issued, with its claims as API Gateway hands them over', async () => {
    const claims = await auth.verify(await auth.issue('auditor', { user: 'alice' }));
    expect(claims).toMatchObject({ 'cognito:groups': '[auditor]', 'cognito:username': 'alice', sub: 'alice', iss: LOCAL_ISSUER });
  });

  it('accepts a well-formed token signed with the key, including an iat a few seconds ahead (clock skew)', async () => {
    expect(await auth.verify(await signed({ iat: now() - 60, exp: now() + 3600 }))).toMatchObject({ 'cognito:username': 'mallory' });
    expect(await auth.verify(await signed({ iat: now() + 30, exp: now() + 3600 }))).toMatchObject({ 'cognito:username': 'mallory' });
  });

  it('refuses a token without exp (one that would never expire)', async () => {
    expect(await auth.verify(await signed({ iat: now() }))).toBeUndefined();
  });

  it('refuses a token without iat', async () => {
    expect(await auth.verify(await signed({ exp: now() + 3600 }))).toBeUndefined();
  });

  it('refuses a token issued in the future (a year ahead, or beyond the allowed clock skew)', async () => {
    expect(await auth.verify(await signed({ iat: now() + 365 * 24 * 3600, exp: now() + 366 * 24 * 3600 }))).toBeUndefined();
    expect(await auth.verify(await signed({ iat: now() + 300, exp: now() + 3600 }))).toBeUndefined();
  });

  it('still refuses an expired token and one signed with another key', async () => {
    expect(await auth.verify(await signed({ iat: now() - 7200, exp: now() - 3600 }))).toBeUndefined();
    const other = await createLocalAuth('another-secret-0123456789abcdef0123456789').issue('admin');
    expect(await auth.verify(other)).toBeUndefined();
  });
});
