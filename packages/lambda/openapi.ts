import * as z from 'zod';
import { problemType } from './problem.ts';
import type { Route } from './http.ts';

type JsonSchema = Record<string, unknown>;

/** The package's licence (package.json `license`): UNLICENSED, all rights reserved. */
export const OPENAPI_LICENSE = { name: 'UNLICENSED' } as const;

/**
 * Where to call the API: the local runtime. The deployed API serves the same document; its URL
 * is the stack output ApiUrl, said in the description.
 */
export const OPENAPI_SERVERS = [
  {
    url: 'http://127.0.0.1:3000',
    description: 'The local runtime of `npm start` (PORT sets another port). Deployed, the API URL is the stack output ApiUrl.',
  },
] as const;

/**
 * OpenAPI 3.1 document generated from the route table: the same zod schemas that validate
 * requests describe them here, so the document cannot disagree with the code.
 */
export function buildOpenApi(
  routes: Array<Route<any, any, any>>,
  info: { title: string; version: string; license?: { name: string; identifier?: string; url?: string } },
) {
  const components: Record<string, JsonSchema> = {
    Problem: {
      type: 'object',
      description: `RFC 9457 problem details; type is one of ${problemType('<slug>')}`,
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        reason: { type: 'string', description: 'Stable code for a 409 (e.g. product-exists)' },
        errors: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      required: ['type', 'title', 'status'],
    },
  };

  function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/');
    const { $schema: _ignored, $defs, ...rest } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    Object.assign(components, $defs ?? {});
    return rest;
  }

  function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
    if (!schema) return [];
    const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, s]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: s,
    }));
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema && { content: { 'application/json': { schema: toSchema(spec.schema, 'output') } } }),
      };
    }
    const errorStatuses = ['400', ...(route.auth === 'public' ? [] : ['401', '403']), '404', '409', ...(route.body ? ['413'] : []), '500'];
    for (const status of errorStatuses) {
      responses[status] ??= {
        description: 'Problem details',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.tags && { tags: route.tags }),
      ...(route.auth === 'public'
        ? { security: [] }
        : { 'x-required-access': `${route.auth.access} ${route.auth.resource}` }),
      parameters: [
        ...parameters(route.params, 'path'),
        ...parameters(route.query, 'query'),
        ...(route.headerParams ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } })),
      ],
      ...(route.body && {
        requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } },
      }),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      license: OPENAPI_LICENSE,
      ...info,
      description:
        'Admin API of the SMS product platform. Roles come from the cognito:groups claim: product-manager, service-agent, auditor, compliance, admin.',
    },
    servers: OPENAPI_SERVERS,
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
