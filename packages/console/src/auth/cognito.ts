import type { CognitoSettings } from '../config.ts';
import { keepLangForReturn, type Lang } from '../i18n/index.ts';

/**
 * Staff sign-in when deployed: the Cognito Hosted UI with the authorization code flow and PKCE
 * (a public client: no secret in the browser). The verifier and state live in sessionStorage
 * for the round trip only.
 */
const PENDING_KEY = 'console.pkce';

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const randomText = (size: number) => base64url(crypto.getRandomValues(new Uint8Array(size)));

/** The console's own URL without query or hash: the callback and sign-out URL the app client allows. */
export function consoleUrl(): string {
  return `${location.origin}${location.pathname}`;
}

export async function beginSignIn(cognito: CognitoSettings, lang: Lang): Promise<void> {
  const verifier = randomText(48);
  const state = randomText(24);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  keepLangForReturn();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: consoleUrl(),
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    lang: lang === 'en' ? 'en' : 'zh-CN',
  });
  location.assign(`${cognito.domain}/oauth2/authorize?${query}`);
}

/** On the way back from the Hosted UI (?code=&state=): the ID token, or undefined when this is no callback. */
export async function completeSignIn(cognito: CognitoSettings): Promise<string | undefined> {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  if (!code) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  // The code is used once: it leaves the address bar (and the history) now.
  history.replaceState(null, '', consoleUrl());
  if (!pending || pending.state !== url.searchParams.get('state')) throw new Error('The sign-in answer does not match the request (state)');
  const response = await fetch(`${cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: cognito.clientId, code, redirect_uri: consoleUrl(), code_verifier: pending.verifier }),
  });
  if (!response.ok) throw new Error(`Cognito token endpoint: HTTP ${response.status}`);
  // The ID token: it carries cognito:groups (the role) and the API's authorizer accepts it.
  return ((await response.json()) as { id_token: string }).id_token;
}

/** Cognito's sign-out, which ends the Hosted UI session and comes back to the console. */
export function signOutUrl(cognito: CognitoSettings): string {
  return `${cognito.domain}/logout?${new URLSearchParams({ client_id: cognito.clientId, logout_uri: consoleUrl() })}`;
}
