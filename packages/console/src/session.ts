import { signal } from '@preact/signals';
import { isRole, type Role } from '../../core/index.ts';

/** Who is signed in: the bearer token for the admin API and what it says of its holder. */
export interface Session {
  token: string;
  role: Role;
  user: string;
  /** Epoch milliseconds at which the token expires. */
  expiresAt: number;
}

/** Why the sign-in screen is shown again, when it is not the first visit. */
export type SignInNotice = 'expired' | 'signed-out';

// sessionStorage: a token survives a reload of the tab, but not closing it, and no other tab sees it.
const STORAGE_KEY = 'console.session';

export const session = signal<Session | undefined>(restore());
export const signInNotice = signal<SignInNotice | undefined>(undefined);

/** The claims of a JWT (not verified here: the API verifies every request). */
export function tokenClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const base64 = payload.replaceAll('-', '+').replaceAll('_', '/');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** The session a token opens: its role is the first known role among its cognito:groups. */
export function sessionOf(token: string): Session {
  const claims = tokenClaims(token);
  const groups = claims['cognito:groups'];
  const role = (Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : []).find((g): g is Role => typeof g === 'string' && isRole(g));
  if (!role) throw new Error('The token names no staff role (cognito:groups)');
  const user = String(claims['cognito:username'] ?? claims['username'] ?? claims['sub'] ?? '');
  const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : Date.now() + 3600_000;
  return { token, role, user, expiresAt: exp };
}

export function startSession(token: string): Session {
  const opened = sessionOf(token);
  sessionStorage.setItem(STORAGE_KEY, token);
  signInNotice.value = undefined;
  session.value = opened;
  return opened;
}

export function endSession(notice?: SignInNotice): void {
  sessionStorage.removeItem(STORAGE_KEY);
  signInNotice.value = notice;
  session.value = undefined;
}

function restore(): Session | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return undefined;
  try {
    const restored = sessionOf(token);
    return restored.expiresAt > Date.now() ? restored : undefined;
  } catch {
    return undefined;
  }
}
