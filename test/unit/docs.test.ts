import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumedEvents } from '../../events/index.ts';
import { adminRoutes, type AdminServices } from '../../functions/admin-api/routes.ts';
import { DEFAULT_KEYWORDS, ROLES, SCORES } from '../../packages/core/index.ts';
import { adminApiDocument } from '../../scripts/console-api.ts';
import { EXAMPLES_DIR, ROOT, generatedDocs, operations, readExamples, type Example } from '../../scripts/docs.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const routes = adminRoutes({} as AdminServices);
const examples = readExamples();

/** The route an example's request reaches, with its path parameters. */
function routeOf(example: Example) {
  for (const route of routes) {
    if (route.method !== example.request.method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    const match = pattern.exec(example.request.path);
    if (match) return { route, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) };
  }
  return undefined;
}

/** What a schema keeps of a value: the value itself when every field it has is documented. */
function documented(schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } } }, value: unknown) {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : { invalid: parsed.error!.issues };
}

describe('docs/examples', () => {
  it('has an example for every operation of the OpenAPI document, and none for an operation it lacks (npm run docs:examples)', async () => {
    const ids = operations((await adminApiDocument()) as Parameters<typeof operations>[0]).map(({ op }) => op.operationId as string);
    expect(examples.map((e) => e.operationId).sort()).toEqual([...ids].sort());
    expect(readdirSync(EXAMPLES_DIR).sort()).toEqual(ids.map((id) => `${id}.json`).sort());
  });

  it.each(examples.map((e) => [e.operationId, e] as const))('%s: the request is one its route accepts, with the role the route allows', (operationId, example) => {
    const found = routeOf(example);
    expect(found?.route.operationId, `${example.request.method} ${example.request.path}`).toBe(operationId);
    const { route, params } = found!;
    if (route.params) expect(documented(route.params, params)).toEqual(params);
    if (route.query) expect(route.query.safeParse(example.request.query ?? {}).success).toBe(true);
    else expect(example.request.query).toBeUndefined();
    if (route.body) expect(route.body.safeParse(example.request.body).success, JSON.stringify(route.body.safeParse(example.request.body).error?.issues)).toBe(true);
    else expect(example.request.body).toBeUndefined();
    for (const header of route.headerParams ?? []) if (header.required) expect(example.request.headers?.[header.name], header.name).toBeTruthy();
    if (route.auth === 'public') expect(example.role).toBeUndefined();
    else expect(example.role).toBeDefined();
  });

  it.each(examples.map((e) => [e.operationId, e] as const))('%s: the response is one its route documents, every field of it in the schema', (_, example) => {
    const { route } = routeOf(example)!;
    const spec = route.responses[example.response.status];
    expect(spec, `status ${example.response.status}`).toBeDefined();
    // Only the OpenAPI document is shown trimmed; its route has no schema to check it against.
    if (example.response.excerpt) return expect(spec!.schema).toBeUndefined();
    if (!spec!.schema) return expect(example.response.body).toBeUndefined();
    // A z.object drops fields it does not know: what it keeps equals the body only when the schema documents all of it.
    expect(documented(spec!.schema, example.response.body)).toEqual(example.response.body);
  });
});

describe('the generated docs', () => {
  it('are what npm run docs renders from the code and the examples as they are now', async () => {
    for (const [file, content] of Object.entries(await generatedDocs(examples))) {
      const committed = read(file);
      if (committed !== content) {
        const a = committed.split('\n');
        const b = content.split('\n');
        const line = a.findIndex((text, i) => text !== b[i]);
        expect.fail(`${file} is stale: run npm run docs (or npm run docs:examples). First difference at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  rendered:  ${b[line] ?? '(end of file)'}`);
      }
    }
  });

  it('document every operation with its method, path and example, and every role', () => {
    const page = read('docs/admin-api.md');
    for (const route of routes) {
      expect(page, route.operationId).toContain(`### ${route.operationId}\n\n\`${route.method} ${route.path}\``);
    }
    expect(page.match(/^```sh\ncurl /gm)).toHaveLength(routes.length);
    for (const role of ROLES) expect(page).toContain(`| \`${role}\` |`);
  });

  it('document every consumed event with each of its fields, and every account alert type', () => {
    const page = read('docs/events.md');
    for (const [source, types] of Object.entries(consumedEvents)) {
      for (const [detailType, schema] of Object.entries(types)) {
        const section = page.split(`## ${source} ${detailType}\n`)[1]?.split('\n## ')[0];
        expect(section, `${source} ${detailType}`).toBeDefined();
        for (const field of Object.keys((schema as unknown as { shape: object }).shape)) expect(section, `${detailType}.${field}`).toContain(`| \`${field}\` |`);
      }
    }
    for (const type of ['trade-filled', 'funds-moved', 'margin-call']) expect(page).toContain(`| \`${type}\` |`);
  });
});

describe('the hand-written docs', () => {
  it('name every SMS keyword of the default table, and every survey score', () => {
    const page = read('docs/keywords.md');
    const words = Object.values(DEFAULT_KEYWORDS).flatMap((byLanguage) => [...byLanguage.zh, ...byLanguage.en]);
    // Bare (`TD`), or followed by what it takes (`DY <CODE>`, `FK <CODE> <text>`, `JY <text>`).
    expect(words.filter((word) => !page.includes(`\`${word}\``) && !page.includes(`\`${word} <`))).toEqual([]);
    expect(SCORES.filter((score) => !page.includes(`\`${score}\``))).toEqual([]);
  });

  it('list every endpoint the local server routes', () => {
    const source = read('packages/local/server.ts');
    const served = [...source.matchAll(/case '(GET|POST|PUT|PATCH|DELETE) (\/local\/[^']+)'/g)].map((m) => [m[1]!, m[2]!] as const);
    served.push(['GET', '/console/'], ['POST', '/local/aws/lambda/2015-03-31/functions/{name}/invocations'], ['DELETE', '/local/aws/scheduler/schedules/{name}']);
    expect(served.length).toBeGreaterThan(10);
    const rows = read('docs/local.md')
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map((line) => line.split(' | ').map((c) => c.replace(/^\| /, '')));
    const missing = served.filter(([method, route]) => !rows.some(([methods, documented]) => methods?.includes(method) && (documented === route || documented?.startsWith(`${route}?`))));
    expect(missing).toEqual([]);
  });
});

/** Every markdown file of the repository (not dependencies or build output). */
function markdownFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || ['node_modules', 'cdk.out', 'coverage', 'test-results'].includes(name)) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

/** The text of a markdown file outside fenced code blocks and code spans (where nothing is a link). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** GitHub's anchors of a markdown file's headings. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n ? `${slug}-${n}` : slug);
  }
  return result;
}

/** Where each link of a markdown file points: inline links and images, reference definitions, autolinks, bare URLs. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  const autolinks = [...text.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)].map((m) => m[1]!);
  const withoutInline = text.replace(/!?\[[^\]]*\]\([^)]*\)/g, '').replace(/<[^>\s]+>/g, '');
  // As GitHub links them: trailing punctuation is not part of the address.
  const bare = [...withoutInline.matchAll(/\b(?:https?|ftp):\/\/[^\s)<>]+|\bwww\.[^\s)<>]+/gi)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
  return [...inline, ...references, ...autolinks, ...bare];
}

/** Why a link leaves the repository or points nowhere, or undefined when it is fine. */
function brokenLink(file: string, link: string): string | undefined {
  // The local runtime's own address, shown as text, is this repository's platform on this machine.
  if (/^http:\/\/127\.0\.0\.1(:\d+)?(\/|$)/.test(link)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//') || link.startsWith('www.')) return 'leaves the repository';
  if (link.startsWith('/')) return 'is absolute';
  const [target, fragment] = link.split('#') as [string, string | undefined];
  const resolved = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
  if (path.relative(ROOT, resolved).startsWith('..')) return 'leaves the repository';
  if (!existsSync(resolved)) return 'points to nothing';
  if (fragment && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(fragment)) return `has no heading #${fragment}`;
  return undefined;
}

describe('markdown links', () => {
  it('finds every kind of link, and none inside code', () => {
    const sample = '[a](docs/x.md) ![b](img.png "t")\n[c]: ../ref.md\n<https://auto.example> see https://bare.example/x. `http://in.code` \n```\n[d](in-fence.md)\n```\n';
    expect(linksOf(sample)).toEqual(['docs/x.md', 'img.png', '../ref.md', 'https://auto.example', 'https://bare.example/x']);
  });

  it('refuses links that leave the repository or point nowhere', () => {
    const readme = path.join(ROOT, 'README.md');
    expect(brokenLink(readme, '../shared/API.md')).toBe('leaves the repository');
    expect(brokenLink(readme, 'https://example.com/')).toBe('leaves the repository');
    expect(brokenLink(readme, '/etc/hosts')).toBe('is absolute');
    expect(brokenLink(readme, 'docs/none.md')).toBe('points to nothing');
    expect(brokenLink(readme, 'docs/admin-api.md#no-such-heading')).toBe('has no heading #no-such-heading');
    expect(brokenLink(readme, 'docs/admin-api.md#createproduct')).toBeUndefined();
  });

  it('in README.md, docs/ and every other markdown file stay inside the repository and reach an existing file and heading', () => {
    const files = markdownFiles();
    expect(files).toContain(path.join(ROOT, 'README.md'));
    expect(files).toContain(path.join(ROOT, 'docs', 'README.md'));
    const broken = files.flatMap((file) => linksOf(readFileSync(file, 'utf8')).flatMap((link) => {
      const why = brokenLink(file, link);
      return why ? [`${path.relative(ROOT, file)}: ${link} ${why}`] : [];
    }));
    expect(broken).toEqual([]);
  });
});
