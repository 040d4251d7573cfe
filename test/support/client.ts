import type { RunningPlatform } from './platform.ts';

export interface OutboxItem {
  to: string;
  body: string;
  snsMessageId: string;
  receipt?: string;
}

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

  /** A client's SMS to the platform (POST /local/sms/inbound); answers once its effects are done. */
  async function text(from: string, body: string): Promise<Response> {
    return fetch(`${platform().url}/local/sms/inbound`, { method: 'POST', body: JSON.stringify({ from, text: body }) });
  }

  /** Every SMS the platform sent to a number, oldest first (GET /local/sms/outbox?to=). */
  async function outbox(to: string): Promise<OutboxItem[]> {
    return ((await (await fetch(`${platform().url}/local/sms/outbox?to=${encodeURIComponent(to)}`)).json()) as { items: OutboxItem[] }).items;
  }

  return { token, api, text, outbox };
}
