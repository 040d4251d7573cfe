import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';
import { logger } from './logger.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable problem types: https://www.rfc-editor.org/rfc/rfc9457 */
const PROBLEM_BASE = 'urn:sms-platform:problem:';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

interface Mapping {
  status: number;
  slug: string;
  title: string;
}

/** The one place that maps domain error names to HTTP: everything not listed is a 500. */
const MAPPINGS: Record<string, Mapping> = {
  ValidationError: { status: 400, slug: 'validation', title: 'The request is invalid' },
  BadRequestError: { status: 400, slug: 'bad-request', title: 'The request cannot be read' },
  AuthenticationError: { status: 401, slug: 'unauthenticated', title: 'Authentication required' },
  ForbiddenError: { status: 403, slug: 'forbidden', title: 'Your role may not do this' },
  NotFoundError: { status: 404, slug: 'not-found', title: 'Not found' },
  RouteNotFoundError: { status: 404, slug: 'no-such-route', title: 'No such route' },
  MethodNotAllowedError: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  ConflictError: { status: 409, slug: 'conflict', title: 'The request conflicts with the current state' },
  ConcurrentModificationError: { status: 409, slug: 'concurrent-modification', title: 'Changed by another request' },
  ContentViolationError: { status: 422, slug: 'content-violation', title: 'The text breaks a content rule' },
  IdempotencyKeyReuseError: { status: 422, slug: 'idempotency-key-reused', title: 'Idempotency key used with a different request' },
  UnsupportedMediaTypeError: { status: 415, slug: 'unsupported-media-type', title: 'Send application/json' },
  PayloadTooLargeError: { status: 413, slug: 'payload-too-large', title: 'The request body is too large' },
};

export function problemType(slug: string): string {
  return `${PROBLEM_BASE}${slug}`;
}

export function toProblem(error: unknown): Problem {
  const err = error instanceof Error ? error : new Error(String(error));
  const mapping = MAPPINGS[err.name];
  if (!mapping) {
    return { type: problemType('internal'), title: 'Internal error', status: 500 };
  }
  const problem: Problem = { type: problemType(mapping.slug), title: mapping.title, status: mapping.status, detail: err.message };
  const extra = err as Error & { fieldErrors?: Problem['errors']; reason?: string; details?: Record<string, unknown>; violations?: unknown };
  if (extra.violations) problem.violations = extra.violations;
  if (extra.fieldErrors?.length) problem.errors = extra.fieldErrors;
  if (extra.reason) problem.reason = extra.reason;
  // Figures the caller can act on (e.g. missingPoints); never overrides the standard members.
  for (const [key, value] of Object.entries(extra.details ?? {})) problem[key] ??= value;
  return problem;
}

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}

/**
 * middy error middleware: any error becomes problem+json. 4xx carry their details;
 * a 5xx says only "Internal error" and the details go to the log.
 */
export function problemJson(): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const problem = toProblem(request.error);
      if (problem.status >= 500) logger.error('unhandled error', { error: request.error as Error });
      else logger.info('request refused', { status: problem.status, type: problem.type });
      request.response = problemResponse(problem);
    },
  };
}
