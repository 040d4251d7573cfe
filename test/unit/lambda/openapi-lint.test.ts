import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, type AdminServices } from '../../../functions/admin-api/routes.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const REDOCLY = path.join(ROOT, 'node_modules', '.bin', 'redocly');

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer?: string }>;
}

/** The document GET /openapi.json serves, from the admin routes (no handler but its own runs). */
async function servedDocument(): Promise<any> {
  const routes = adminRoutes({} as AdminServices);
  const route = routes.find((r) => r.method === 'GET' && r.path === '/openapi.json');
  if (!route) throw new Error('no GET /openapi.json route');
  return (await route.handle({ params: undefined, query: undefined, body: undefined, headers: {}, by: undefined as any })).body;
}

/** Every operation of the admin API: renaming one breaks generated clients, so this changes only on purpose. */
const STABLE_OPERATION_IDS = [
  'adjustPoints',
  'cancelMessage',
  'closeCase',
  'createProduct',
  'createSurvey',
  'editMessage',
  'endPackage',
  'getCase',
  'getCustomer',
  'getMessage',
  'getOpenApiDocument',
  'getProduct',
  'getProductStats',
  'getSurvey',
  'grantPackage',
  'listAudit',
  'listCases',
  'listConsents',
  'listCustomerMessages',
  'listMessageRecipients',
  'listMessages',
  'listPointsLedger',
  'listProducts',
  'listSurveys',
  'publishMessage',
  'putCustomer',
  'redeemWithPoints',
  'reviewMessage',
  'setProductListing',
  'updateProduct',
  'upgradeTier',
];

describe('the admin API OpenAPI document', () => {
  let dir: string;
  let document: any;
  let problems: LintProblem[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
    document = await servedDocument();
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    // In the document's folder, so that no redocly.yaml of the project applies; no telemetry or
    // update check (they would reach out to the network).
    const lint = spawnSync(REDOCLY, ['lint', '--extends', 'recommended', 'openapi.json', '--format', 'json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 60_000,
    });
    if (lint.error) throw lint.error;
    if (!lint.stdout.trim().startsWith('{')) throw new Error(`redocly lint gave no JSON report (exit ${lint.status}):\n${lint.stdout}\n${lint.stderr}`);
    problems = (JSON.parse(lint.stdout) as { problems: LintProblem[] }).problems;
  }, 90_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes redocly lint (recommended) without errors; warnings are printed', () => {
    const explain = (p: LintProblem) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`;
    const warnings = problems.filter((p) => p.severity !== 'error');
    if (warnings.length) console.warn(`redocly lint: ${warnings.length} warning(s)\n${warnings.map(explain).join('\n')}`);
    expect(problems.filter((p) => p.severity === 'error').map(explain)).toEqual([]);
    expect(problems.filter((p) => p.ruleId.startsWith('operation-operationId')).map(explain)).toEqual([]);
  });

  it('gives every operation a unique, stable operationId (client generators name their calls by it)', () => {
    const ids = Object.entries(document.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(([route, operations]) =>
      Object.entries(operations).map(([method, op]) => `${method.toUpperCase()} ${route} ${op.operationId}`),
    );
    expect(ids.every((line) => /^\S+ \S+ [a-z][A-Za-z]+$/.test(line))).toBe(true);
    expect(new Set(ids.map((line) => line.split(' ')[2])).size).toBe(ids.length);
    expect(ids.map((line) => line.split(' ')[2]).sort()).toEqual(STABLE_OPERATION_IDS);
  });

  it('names the local runtime as its server and the package licence', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:3000', description: expect.stringMatching(/npm start.*ApiUrl/) })]);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(document.info.license.name).toBe(pkg.license);
  });
});
