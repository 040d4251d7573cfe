import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import {
  AuthenticationError,
  ForbiddenError,
  ValidationError,
  authorisingRole,
  isRole,
  type Access,
  type Actor,
  type FieldError,
  type Resource,
  type Role,
} from '../core/index.ts';
import { logger } from './logger.ts';
import { problemJson } from './problem.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The event shape our handlers read: API Gateway HTTP API (payload 2.0) with a JWT authorizer. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]>; scopes?: string[] | null } };
  };
};

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | undefined>;
  /** Who is calling; `undefined` only on routes without auth. */
  by: Actor;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** API Gateway style template, e.g. `/admin/products/{code}`. */
  path: string;
  /** Unique and stable: what client generators name the call (`createProduct`, `getMessage`). */
  operationId: string;
  summary: string;
  tags?: string[];
  /** The resource and access this route needs, or `public` for no auth. */
  auth: { resource: Resource; access: Access } | 'public';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Documented request headers (validated by the route itself). */
  headerParams?: Array<{ name: string; required: boolean; description: string }>;
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<P, Q, B>): Promise<RouteResult>;
}

/** Identity helper that keeps the generic types of one route. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: Route<P, Q, B>): Route<P, Q, B> {
  return route;
}

class RouteNotFoundError extends Error {
  override readonly name = 'RouteNotFoundError';
}
class MethodNotAllowedError extends Error {
  override readonly name = 'MethodNotAllowedError';
}
class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}
class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}
class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** The most a request body may be (API Gateway would take 10 MB; nothing here needs more than this). */
export const MAX_BODY_BYTES = 1_000_000;

interface CompiledRoute {
  route: Route<any, any, any>;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route<any, any, any>): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** zod issues -> field errors; unknown fields of a strict object are named one by one. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), message: 'unknown field' }));
    }
    return [{ field: path || '(body)', message: issue.message }];
  });
}

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, what: string, prefix = ''): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`Invalid ${what}`, fieldErrors(result.error, prefix), { cause: result.error });
  return result.data;
}

/** API Gateway passes a JWT's array claims as a string such as `[admin auditor]`. */
export function parseGroupsClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string' || claim.trim() === '') return [];
  const text = claim.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: the space-separated form API Gateway produces
    }
    return text.slice(1, -1).split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

function authorise(event: HttpEvent, auth: Route['auth']): Actor {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (auth === 'public') return { actor: 'anonymous', role: 'client', channel: 'admin-api' };
  if (!claims) throw new AuthenticationError('A bearer token is required');
  const actor = String(claims['cognito:username'] ?? claims.username ?? claims.sub ?? '');
  if (!actor) throw new AuthenticationError('The token names no user');
  const roles = parseGroupsClaim(claims['cognito:groups']).filter(isRole) as Role[];
  const role = authorisingRole(roles, auth.resource, auth.access);
  if (!role) {
    throw new ForbiddenError(
      `${roles.length ? `Role ${roles.join(', ')}` : 'A user without a role'} may not ${auth.access} ${auth.resource}`,
    );
  }
  return { actor, role, channel: 'admin-api' };
}

function readBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError(`Content-Type must be application/json, not "${contentType || 'none'}"`);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const size = Buffer.byteLength(text);
  if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`The body is ${size} bytes, over the limit of ${MAX_BODY_BYTES}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError('The body is not valid JSON', { cause: error });
  }
}

/** A path segment as the route reads it; a malformed percent-escape is the caller's mistake (400). */
function decodePathParameter(name: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw new ValidationError('Invalid path parameter', [{ field: name, message: 'is not a valid percent-encoded path segment' }], { cause: error });
  }
}

function lowerCaseHeaders(headers: HttpEvent['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Matches the event to a route, authenticates and authorises, validates, calls the route. */
export function createRouter(routes: Array<Route<any, any, any>>) {
  const compiled = routes.map(compile);
  return async function dispatch(event: HttpEvent): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath.length > 1 ? event.rawPath.replace(/\/+$/, '') : event.rawPath;
    const onPath = compiled.map((c) => ({ c, match: c.pattern.exec(path) })).filter((m) => m.match);
    if (onPath.length === 0) throw new RouteNotFoundError(`No route for ${path}`);
    const hit = onPath.find((m) => m.c.route.method === method);
    if (!hit?.match) throw new MethodNotAllowedError(`${method} is not allowed on ${path}`);
    const { route, names } = hit.c;

    const by = authorise(event, route.auth);
    const rawParams = Object.fromEntries(names.map((n, i) => [n, decodePathParameter(n, hit.match![i + 1]!)]));
    const params = parseWith(route.params, rawParams, 'path parameters');
    const query = parseWith(route.query, event.queryStringParameters ?? {}, 'query parameters');
    const body = route.body ? parseWith(route.body, readBody(event), 'request body') : undefined;

    const result = await route.handle({ params, query, body, headers: lowerCaseHeaders(event.headers), by });
    return {
      statusCode: result.status,
      headers: { ...(result.body !== undefined && { 'content-type': 'application/json' }), ...result.headers },
      ...(result.body !== undefined && { body: JSON.stringify(result.body) }),
    };
  };
}

/** The Lambda handler for an HTTP API: router + Powertools logger context + problem+json errors. */
export function createHttpHandler(routes: Array<Route<any, any, any>>) {
  const dispatch = createRouter(routes);
  return middy<HttpEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(problemJson())
    .handler(dispatch);
}
