import createClient, { type Client } from 'openapi-fetch';
import type { Access, Resource } from '../../../core/index.ts';
import { endSession, session } from '../session.ts';
import type { components, paths } from './schema.gen.ts';

export type Schemas = components['schemas'];
export type Product = Schemas['Product'];
export type MessageView = Schemas['MessageView'];
export type CustomerView = Schemas['CustomerView'];
export type CaseView = Schemas['CaseView'];
export type SurveyResults = Schemas['SurveyResults'];

/** A content rule a text broke (422 content-violation): the rule and the words that broke it. */
export interface Violation {
  rule: string;
  match: string;
}

/** A problem+json answer (RFC 9457), or a failure to reach the API at all (status 0). */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly reason: string | undefined;
  readonly errors: Array<{ field?: string; message?: string }>;
  /** For a 422 content-violation: each rule the text broke (not in the Problem schema, read when present). */
  readonly violations: Violation[];
  /** For a 403: what the request tried, to say what the role may not do. */
  readonly forbidden: { resource: Resource; access: Access } | undefined;

  constructor(status: number, body: Partial<Schemas['Problem']>, forbidden?: { resource: Resource; access: Access }) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.status = status;
    this.title = body.title ?? `HTTP ${status}`;
    this.detail = body.detail;
    this.reason = body.reason;
    this.errors = body.errors ?? [];
    const violations = (body as { violations?: unknown }).violations;
    this.violations = Array.isArray(violations) ? violations.filter((v): v is Violation => typeof v?.rule === 'string' && typeof v?.match === 'string') : [];
    this.forbidden = forbidden;
  }

  /** The message of the first error naming `field` (a dotted path: `pricing.pointsPrice`). */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

let client: Client<paths> | undefined;
/** The request each response answered: a 403 says what was attempted. */
const requests = new WeakMap<Response, Request>();

/** The typed admin API client: every call carries the session's bearer token. */
export function api(): Client<paths> {
  if (!client) throw new Error('initApi first');
  return client;
}

export function initApi(baseUrl: string): void {
  client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      const token = session.value?.token;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      requests.set(response, request);
    },
  });
}

const RESOURCES: Record<string, Resource> = { products: 'products', messages: 'messages', customers: 'customers', consents: 'consents', audit: 'audit', cases: 'cases', surveys: 'surveys' };

/** What a request to `url` with `method` tries to do, in the terms of the role matrix. */
export function attempted(method: string, url: string): { resource: Resource; access: Access } {
  const path = new URL(url, location.href).pathname;
  const segment = /\/admin\/([^/?]+)/.exec(path)?.[1] ?? '';
  // A client's SMS history is a resource of its own (compliance reads it without the customer records).
  const resource: Resource = /\/reviews$/.test(path) ? 'reviews' : /\/admin\/customers\/[^/]+\/messages$/.test(path) ? 'sms-history' : (RESOURCES[segment] ?? 'products');
  return { resource, access: method === 'GET' ? 'read' : 'write' };
}

/**
 * The data of a successful call, else an ApiProblem. A 401 ends the session (back to sign-in);
 * a 403 carries what was attempted.
 */
export async function ok<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<NonNullable<T>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (error) {
    throw new ApiProblem(0, { title: error instanceof Error ? error.message : String(error) });
  }
  const { response } = result;
  if (response.ok) return result.data as NonNullable<T>;
  const body = (typeof result.error === 'object' && result.error !== null ? result.error : {}) as Partial<Schemas['Problem']>;
  if (response.status === 401) endSession('expired');
  const request = requests.get(response);
  throw new ApiProblem(response.status, body, response.status === 403 && request ? attempted(request.method, request.url) : undefined);
}
