import type { Role } from '../../../core/index.ts';
import { ApiProblem } from './client.ts';

/**
 * The local runtime's own endpoints (never deployed, so not in the OpenAPI document): dev tokens,
 * the SMS outbox and the platform's clock. Their shapes are the contract of API.md, "Local-only
 * endpoints".
 */
export interface OutboxItem {
  to: string;
  body: string;
  smsType: string;
  at: string;
  snsMessageId: string;
  receipt?: string;
}

let base = '';
let local = false;

export function initLocal(baseUrl: string, isLocal: boolean): void {
  base = baseUrl;
  local = isLocal;
}

async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { cache: 'no-store' });
  } catch (error) {
    throw new ApiProblem(0, { title: error instanceof Error ? error.message : String(error) });
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new ApiProblem(response.status, body);
  return body as T;
}

/** GET /local/dev-token: a token the local admin API accepts, for `role` as `user`. */
export async function devToken(role: Role, user?: string): Promise<string> {
  const query = new URLSearchParams({ role, ...(user && { user }) });
  return (await getJson<{ token: string }>(`/local/dev-token?${query}`)).token;
}

/** GET /local/sms/outbox: what the local platform would have sent, oldest first. */
export async function outbox(to?: string): Promise<OutboxItem[]> {
  return (await getJson<{ items: OutboxItem[] }>(`/local/sms/outbox${to ? `?to=${encodeURIComponent(to)}` : ''}`)).items;
}

/**
 * Now, as the platform reckons it (epoch ms): deployed, this computer's clock; locally, the local
 * platform's one clock (GET /local/clock), which a scheduler tick may have moved ahead, so that
 * "overdue" means here what it means to the API.
 */
export async function platformNow(): Promise<number> {
  if (!local) return Date.now();
  return Date.parse((await getJson<{ now: string }>('/local/clock')).now);
}
