import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../core/index.ts';

export const LOCAL_ISSUER = 'sms-platform-local';

/** How far ahead of this machine's clock a token's `iat` may be (the issuer's clock may run a little fast). */
const IAT_CLOCK_SKEW_SECONDS = 60;

/**
 * Stand-in for Cognito + the HTTP API JWT authorizer: issues tokens shaped like Cognito's
 * (a `cognito:groups` claim carries the role) and verifies them the way the authorizer does
 * (signature, issuer, expiry). Like Cognito's, a token must carry `exp` and `iat`, and an `iat`
 * more than IAT_CLOCK_SKEW_SECONDS ahead is refused. The key is new for every run unless
 * LOCAL_JWT_SECRET is set.
 */
export function createLocalAuth(secret: string = process.env.LOCAL_JWT_SECRET ?? randomBytes(32).toString('hex')) {
  const key = new TextEncoder().encode(secret);

  async function issue(role: Role, options: { user?: string; ttlSeconds?: number } = {}): Promise<string> {
    const user = options.user ?? `local-${role}`;
    return new SignJWT({ 'cognito:groups': [role], 'cognito:username': user, token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
      .sign(key);
  }

  /** Verified claims, in the form API Gateway hands them to Lambda (arrays as `[a b]`). */
  async function verify(token: string): Promise<Record<string, string> | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, { issuer: LOCAL_ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'iat'] }));
    } catch {
      return undefined;
    }
    // jose checks that `iat` is a number when present, not that it is in the past.
    if (payload.iat! > Date.now() / 1000 + IAT_CLOCK_SKEW_SECONDS) return undefined;
    return Object.fromEntries(
      Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
    );
  }

  return { issue, verify };
}

export type LocalAuth = ReturnType<typeof createLocalAuth>;
