/**
 * `npm run docs`: writes the generated pages of docs/ from what the code says, so they cannot
 * disagree with it: docs/admin-api.md (every route of the OpenAPI document GET /openapi.json
 * serves, who may call it, its parameters and body fields, and its recorded example from
 * docs/examples/) and docs/events.md (every consumed event's fields, the alert types and their
 * data). `npm run docs:examples` records the examples first. test/unit/docs.test.ts fails while a
 * committed page differs from what this renders.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import * as z from 'zod';
import { consumedEvents } from '../events/index.ts';
import { ALERT_VALUE_WORDS, DEFAULT_ALERT_TEMPLATES, ROLES, authorisingRole, type Access, type Resource, type Role } from '../packages/core/index.ts';
import { adminApiDocument } from './console-api.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DOCS_DIR = path.join(ROOT, 'docs');
export const EXAMPLES_DIR = path.join(DOCS_DIR, 'examples');

/** One recorded request and its response: docs/examples/<operationId>.json. */
export const exampleSchema = z.strictObject({
  operationId: z.string().regex(/^[a-z][A-Za-z]+$/),
  /** The role of the dev token the request carried; absent: no token (a public route). */
  role: z.enum(ROLES).optional(),
  request: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    path: z.string().startsWith('/'),
    query: z.record(z.string(), z.string()).optional(),
    /** Headers the route reads besides Authorization and Content-Type (Idempotency-Key). */
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  }),
  response: z.strictObject({
    status: z.number().int().min(200).max(299),
    body: z.unknown().optional(),
    /** Set when the body shown is trimmed: what was left out. */
    excerpt: z.string().optional(),
  }),
});
export type Example = z.infer<typeof exampleSchema>;

export function readExamples(dir = EXAMPLES_DIR): Example[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const example = exampleSchema.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (`${example.operationId}.json` !== f) throw new Error(`${f} holds the example of ${example.operationId}`);
      return example;
    });
}

export function exampleFile(example: Example): string {
  return `${JSON.stringify(example, null, 2)}\n`;
}

type Json = Record<string, any>;
type OpenApi = { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** Every operation of the document, in the order of the route table. */
export function operations(document: OpenApi): Array<{ method: string; path: string; op: Json }> {
  return Object.entries(document.paths).flatMap(([route, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path: route, op })));
}

/** The roles that may call an operation (`x-required-access: "<access> <resource>"`), or undefined for a public one. */
export function rolesFor(op: Json): Role[] | undefined {
  const required = op['x-required-access'] as string | undefined;
  if (!required) return undefined;
  const [access, resource] = required.split(' ') as [Access, Resource];
  return ROLES.filter((role) => authorisingRole([role], resource, access));
}

const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (text: string) => `\`${text}\``;

function resolve(schema: Json, document: OpenApi): Json {
  if (typeof schema.$ref !== 'string') return schema;
  const { $ref, ...rest } = schema;
  const target = document.components.schemas[$ref.replace('#/components/schemas/', '')];
  if (!target) throw new Error(`unresolved ${$ref}`);
  return { ...resolve(target, document), ...rest };
}

/** A JSON schema, said in a few words. */
export function typeOf(raw: Json, document: OpenApi): string {
  const schema = resolve(raw, document);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v: unknown) => code(JSON.stringify(v).replace(/^"|"$/g, ''))).join(', ')}`;
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (Array.isArray(schema.anyOf)) return [...new Set(schema.anyOf.map((s: Json) => typeOf(s, document)))].join(' or ');
  switch (schema.type) {
    case 'string': {
      const length = schema.minLength !== undefined || schema.maxLength !== undefined ? `${schema.minLength ?? 0}–${schema.maxLength ?? '…'} characters` : '';
      if (schema.format) return `string (${schema.format})`;
      return ['string', schema.pattern && `matching ${code(schema.pattern)}`, length].filter(Boolean).join(', ');
    }
    case 'integer':
    case 'number': {
      const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
      const range = schema.minimum !== undefined && max !== undefined ? ` ${schema.minimum}–${max}` : schema.minimum !== undefined ? ` ≥ ${schema.minimum}` : max !== undefined ? ` ≤ ${max}` : '';
      return `${schema.type}${range}`;
    }
    case 'array': {
      const bounds = schema.minItems !== undefined || schema.maxItems !== undefined ? ` (${schema.minItems ?? 0}–${schema.maxItems ?? '…'})` : '';
      return `array${bounds} of ${schema.items ? typeOf(schema.items, document) : 'anything'}`;
    }
    case 'object':
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return `object: names to ${typeOf(schema.additionalProperties, document)}`;
      return 'object';
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'any';
  }
}

/** The fields of an object schema, nested objects as dotted names (two levels). */
export function fieldRows(raw: Json, document: OpenApi, prefix = '', depth = 0): string[][] {
  const schema = resolve(raw, document);
  const required = new Set<string>(schema.required ?? []);
  return Object.entries((schema.properties ?? {}) as Record<string, Json>).flatMap(([name, property]) => {
    const field = resolve(property, document);
    const row = [code(`${prefix}${name}`), cell(typeOf(field, document)), required.has(name) ? 'yes' : 'no', cell(field.description ?? '')];
    const nested = [field, ...((field.anyOf ?? []) as Json[]).map((s) => resolve(s, document))].find((s) => s.type === 'object' && s.properties);
    return [row, ...(nested && depth < 1 ? fieldRows(nested, document, `${prefix}${name}.`, depth + 1) : [])];
  });
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The example's request as a curl command against `$URL` with `$TOKEN` (see the page's opening). */
export function curlOf(example: Example): string {
  const { method, path: route, query, headers, body } = example.request;
  const url = `$URL${route}${query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''}`;
  const parts = [`curl -s${method === 'GET' ? '' : ` -X ${method}`} "${url}"`];
  if (example.role) parts.push('-H "Authorization: Bearer $TOKEN"');
  for (const [name, value] of Object.entries(headers ?? {})) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (body !== undefined) parts.push(`-H 'content-type: application/json'`, `-d ${shellQuote(JSON.stringify(body))}`);
  return parts.join(' \\\n  ');
}

/** docs/admin-api.md. */
export function renderAdminApi(document: OpenApi, examples: Example[]): string {
  const byId = new Map(examples.map((e) => [e.operationId, e]));
  const all = operations(document);
  const out: string[] = [
    '# Admin API',
    '',
    '<!-- Generated by `npm run docs` from functions/admin-api/routes.ts and docs/examples/: edit those, then regenerate. -->',
    '',
    'Every route of the admin API: who may call it, its parameters and body fields, and one request and its response',
    'recorded from the local platform (`npm run docs:examples`). The same routes, as an OpenAPI 3.1 document generated',
    'from the zod schemas that validate requests, are served at `GET /openapi.json`.',
    '',
    'To run the examples: `npm start`, then, in another shell, a token (an `admin` token may call every route; each example',
    'names the role it was recorded with; deployed, the API URL is the stack output `ApiUrl` and the token a Cognito ID token):',
    '',
    '```sh',
    'URL=http://127.0.0.1:3000',
    `TOKEN=$(curl -s "$URL/local/dev-token?role=admin" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
    '```',
    '',
    'Ids, times and counts in the examples are those of the run that recorded them; `npm run demo` loads similar data.',
    '',
    '**Errors** are `application/problem+json` (RFC 9457): `type` (`urn:sms-platform:problem:<slug>`), `title`, `status`,',
    '`detail`, per-field `errors` on a 400 and a stable `reason` on a 409. Request bodies are strict: an unknown field is a 400.',
    'No token, or an expired or wrongly signed one: 401; a role that may not: 403.',
    '',
    '## Roles',
    '',
    'The role is the `cognito:groups` claim of the token (packages/core/access.ts). What each may call:',
    '',
    table(
      ['role', 'operations'],
      ROLES.map((role) => [code(role), all.filter(({ op }) => rolesFor(op)?.includes(role) ?? true).map(({ op }) => `[${op.operationId}](#${String(op.operationId).toLowerCase()})`).join(', ')]),
    ),
    '',
    '## Routes',
    '',
    table(
      ['operation', 'method and path', 'what it does'],
      all.map(({ method, path: route, op }) => [`[${op.operationId}](#${String(op.operationId).toLowerCase()})`, code(`${method} ${route}`), cell(op.summary ?? '')]),
    ),
  ];
  const tags = [...new Set(all.map(({ op }) => (op.tags?.[0] as string | undefined) ?? 'other'))];
  for (const tag of tags) {
    out.push('', `## ${tag[0]!.toUpperCase()}${tag.slice(1)}`);
    for (const { method, path: route, op } of all.filter(({ op }) => ((op.tags?.[0] as string | undefined) ?? 'other') === tag)) {
      const roles = rolesFor(op);
      out.push('', `### ${op.operationId}`, '', `${code(`${method} ${route}`)}: ${op.summary ?? ''}`, '');
      out.push(roles ? `**Who:** ${roles.map(code).join(', ')} (${op['x-required-access']}).` : '**Who:** anyone, no token.');
      const params = (op.parameters ?? []) as Json[];
      if (params.length) {
        out.push('', '**Parameters**', '', table(['name', 'in', 'type', 'required', 'description'], params.map((p) => [code(p.name), p.in, cell(typeOf(p.schema ?? {}, document)), p.required ? 'yes' : 'no', cell(p.description ?? p.schema?.description ?? '')])));
      }
      const body = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
      if (body) {
        const rows = fieldRows(body, document);
        out.push('', '**Body** (JSON)', '', rows.length ? table(['field', 'type', 'required', 'description'], rows) : 'An empty object, `{}`.');
      }
      const answers = Object.entries(op.responses as Record<string, Json>).filter(([status]) => status.startsWith('2'));
      out.push('', `**Answers** ${answers.map(([status, r]) => `${status} (${r.description})`).join(', ')}; errors as problem+json.`);
      const example = byId.get(op.operationId);
      if (!example) {
        out.push('', '**Example**: none recorded yet (add a step to scripts/docs-examples.ts, then `npm run docs:examples`).');
        continue;
      }
      out.push('', `**Example**${example.role ? `, as ${code(example.role)}` : ''}:`, '', '```sh', curlOf(example), '```', '');
      out.push(`${example.response.status} ${STATUS_CODES[example.response.status] ?? ''}${example.response.excerpt ? ` (trimmed: ${example.response.excerpt})` : ''}`.trimEnd());
      if (example.response.body !== undefined) out.push('', '```json', JSON.stringify(example.response.body, null, 2), '```');
    }
  }
  return `${out.join('\n')}\n`;
}

/** The JSON schema of a zod schema, as a request reads it. */
const inputSchema = (schema: z.ZodType): Json => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
const noComponents: OpenApi = { paths: {}, components: { schemas: {} } };

/** docs/events.md. */
export function renderEvents(samplesDir = path.join(ROOT, 'events', 'samples')): string {
  const out: string[] = [
    '# Events the platform consumes',
    '',
    '<!-- Generated by `npm run docs` from events/index.ts, events/samples/ and packages/core/alert-templates.ts: edit those, then regenerate. -->',
    '',
    'Upstream systems (trading, CRM, market data) put these events on the EventBridge bus the stack creates (output',
    '`EventBusName`); the rules of events/routes.ts route each to its function. Locally, `POST /local/events` takes the same',
    '`{ source, "detail-type", detail }` and routes it by the same rules (see [the local endpoints](local.md)).',
    'A `detail` that breaks its schema is refused: locally a 400 naming the field; deployed, the target fails, is retried',
    'and lands in the `EventsDlq` queue. Every event is applied at most once (by the id its section names).',
  ];
  for (const [source, types] of Object.entries(consumedEvents)) {
    for (const [detailType, schema] of Object.entries(types as Record<string, z.ZodType>)) {
      const json = inputSchema(schema);
      if (!json.description) throw new Error(`events/index.ts: describe what ${source}/${detailType} does (.describe on its schema)`);
      const sample = JSON.parse(readFileSync(path.join(samplesDir, `${source}.${detailType}.json`), 'utf8')) as Json;
      out.push('', `## ${source} ${detailType}`, '', `\`source: "${source}"\`, \`detail-type: "${detailType}"\`: ${json.description}.`, '');
      out.push(table(['field', 'type', 'required', 'description'], fieldRows(json, noComponents)));
      out.push('', 'Locally:', '', '```sh', `curl -s -X POST http://127.0.0.1:3000/local/events -d ${shellQuote(JSON.stringify({ source, 'detail-type': detailType, detail: sample.detail }))}`, '```');
    }
  }
  const types = Object.keys(DEFAULT_ALERT_TEMPLATES.zh).filter((t) => t !== 'default');
  const fieldsOf = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  out.push(
    '',
    '## Account alert types',
    '',
    'The `type` of an `AccountEvent` picks the template of its SMS (in the client\'s `language`, Chinese by default); each',
    '`{field}` of the template is taken from `data`. An event that lacks a field its template needs is not sent: it is',
    'recorded as `missing-data` and audited (`alert.missing-data`, naming the fields; metric `AlertMissingData` in AWS),',
    'never sent with a blank. Any other `type` gets the neutral default, which quotes nothing of the event.',
    '`ALERT_TEMPLATES` (JSON, per language) replaces or adds templates. A sent alert is a message of kind `alert`',
    '(listed by `GET /admin/messages` under its account-alerts product; see [the admin API](admin-api.md#listmessages)).',
    '',
    table(
      ['type', 'data fields it needs', 'SMS (zh)', 'SMS (en)'],
      [...types, 'default'].map((type) => [
        type === 'default' ? 'any other' : code(type),
        fieldsOf(DEFAULT_ALERT_TEMPLATES.zh[type]!).map(code).join(', ') || 'none',
        cell(DEFAULT_ALERT_TEMPLATES.zh[type]!),
        cell(DEFAULT_ALERT_TEMPLATES.en[type]!),
      ]),
    ),
    '',
    'Fields whose value is a word are said in the client\'s language; any other value counts as missing:',
    '',
    table(
      ['field', 'value', 'zh', 'en'],
      Object.entries(ALERT_VALUE_WORDS.zh).flatMap(([field, words]) => Object.entries(words).map(([value, zh]) => [code(field), code(value), zh, ALERT_VALUE_WORDS.en[field]?.[value] ?? ''])),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Every generated page: path from the repository root -> content. */
export async function generatedDocs(examples: Example[] = readExamples()): Promise<Record<string, string>> {
  return {
    'docs/admin-api.md': renderAdminApi((await adminApiDocument()) as OpenApi, examples),
    'docs/events.md': renderEvents(),
  };
}

export async function writeGeneratedDocs(): Promise<void> {
  for (const [file, content] of Object.entries(await generatedDocs())) {
    writeFileSync(path.join(ROOT, file), content);
    console.log(`written ${file}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await writeGeneratedDocs();
