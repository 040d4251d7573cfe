import type { RunningPlatform } from './platform.ts';

/** A small HTTP client for the local platform, as a user's script would call it. */
export function platformClient(platform: () => Pick<RunningPlatform, 'url'>) {
  async function token(role: string): Promise<string> {
    const res = await fetch(`${platform().url}/local/dev-token?role=${role}`);
    return ((await res.json()) as { token: string }).token;
  }

  async function api(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await fetch(`${platform().url}${path}`, {
      method,
      headers: {
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  return { token, api };
}
