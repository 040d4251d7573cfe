import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, loadDemo } from '../../packages/local/demo.ts';
import { LOCAL_AWS_ENV } from '../../packages/local/index.ts';
import { platformClient } from '../support/client.ts';
import { useInProcessPlatform } from '../support/in-process-platform.ts';

const { platform } = useInProcessPlatform({});
const { api, token } = platformClient(() => platform());

/** Every item of the platform's table (a Scan: for this assertion only). */
async function tableItems(): Promise<Array<Record<string, unknown>>> {
  const client = new DynamoDBClient({
    endpoint: platform().dynamoEndpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const doc = DynamoDBDocumentClient.from(client);
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: platform().tableName, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

/** What the admin API shows of the demo: products, customers, ledger entries, messages. */
async function counts() {
  const admin = await token('admin');
  const messages: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = (await api('GET', `/admin/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin })).body;
    messages.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  let ledger = 0;
  let customers = 0;
  for (const { customerId } of DEMO_CUSTOMERS) {
    if ((await api('GET', `/admin/customers/${customerId}`, { token: admin })).status === 200) customers++;
    ledger += (await api('GET', `/admin/customers/${customerId}/points/ledger?limit=500`, { token: admin })).body.items.length;
  }
  return { products: (await api('GET', '/admin/products', { token: admin })).body.items.length, customers, ledger, messages: messages.length };
}

/** Splits one shell command line into words: single quotes literal, double quotes and bare words expand $NAME. */
function shellWords(line: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  const expand = (text: string) => text.replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? expect.fail(`$${name} is not set`));
  for (const [, single, double, bare] of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    words.push(single ?? expand(double ?? bare!));
  }
  return words;
}

/** Runs a printed curl command with fetch: the options the demo prints (-s, -X, -H, -d) and one URL. */
async function curl(words: string[]): Promise<{ status: number; text: string }> {
  expect(words[0]).toBe('curl');
  let method = 'GET';
  let body: string | undefined;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-s') continue;
    if (word === '-X') method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!.trim()] = value.join(':').trim();
    } else if (word === '-d') {
      body = words[++i]!;
      if (method === 'GET') method = 'POST';
    } else if (!word.startsWith('-') && url === undefined) url = word;
    else expect.fail(`unexpected curl word ${word}`);
  }
  const res = await fetch(url!, { method, headers, ...(body !== undefined && { body }) });
  return { status: res.status, text: await res.text() };
}

/** Runs each printed command as a shell would (assignments, $(curl ... | node -pe '...token') and curl), expecting 2xx. */
async function runTryNext(lines: string[]): Promise<string[]> {
  const vars: Record<string, string> = {};
  const ran: string[] = [];
  for (const line of lines.filter((l) => l && !l.startsWith('#'))) {
    const assignment = /^([A-Z_]+)=(.*)$/.exec(line);
    if (assignment) {
      const [, name, value] = assignment as unknown as [string, string, string];
      const substitution = /^\$\((curl .*) \| node -pe 'JSON\.parse\(require\("fs"\)\.readFileSync\(0\)\)\.(\w+)'\)$/.exec(value);
      if (substitution) {
        const { status, text } = await curl(shellWords(substitution[1]!, vars));
        expect(status, line).toBe(200);
        vars[name] = String((JSON.parse(text) as Record<string, unknown>)[substitution[2]!]);
      } else {
        vars[name] = shellWords(value, vars).join(' ');
      }
      continue;
    }
    const { status, text } = await curl(shellWords(line, vars));
    expect(status, `${line}\n${text}`).toBeGreaterThanOrEqual(200);
    expect(status, `${line}\n${text}`).toBeLessThan(300);
    ran.push(line);
  }
  return ran;
}

describe('the demo data (loadDemo, npm run demo)', () => {
  const printed: string[] = [];
  let second: Awaited<ReturnType<typeof loadDemo>>;

  it('loads products of every kind, clients of every tier with points and subscriptions, a few messages, cases and a survey', async () => {
    const first = await loadDemo(platform().url);
    expect(first.created.length).toBeGreaterThan(10);
    const admin = await token('admin');
    const products = (await api('GET', '/admin/products', { token: admin })).body.items;
    expect(products.map((p: { kind: string }) => p.kind).sort()).toEqual(['account-alerts', 'commission-package', 'general', 'investment-tips', 'ipo-reminders']);
    expect(products.find((p: { code: string }) => p.code === 'VIP').bundle).toEqual(['TIPS', 'ALERTS', 'IPO']);
    const views = await Promise.all(DEMO_CUSTOMERS.map(async (c) => (await api('GET', `/admin/customers/${c.customerId}`, { token: admin })).body));
    expect(views.map((v) => v.tier)).toEqual(['normal', 'silver', 'gold', 'platinum']);
    for (const view of views) {
      expect(view.points.balance, view.customer.customerId).toBeGreaterThan(0);
      expect(view.subscriptions.filter((s: { status: string }) => s.status === 'active').length, view.customer.customerId).toBeGreaterThan(0);
    }
    expect(views[1].subscriptions).toContainEqual(expect.objectContaining({ productCode: 'TIPS', source: 'points', status: 'active' }));
    expect(views[2].packages).toEqual([expect.objectContaining({ productCode: 'VIP' })]);
    const messages = (await api('GET', '/admin/messages', { token: admin })).body.items as Array<{ kind: string; productCode: string; status: string }>;
    expect(messages.filter((m) => m.kind === 'broadcast').map((m) => `${m.productCode} ${m.status}`).sort()).toEqual(['NEWS scheduled', expect.stringMatching(/^NEWS (sent|sending)$/), expect.stringMatching(/^TIPS (sent|sending)$/)]);
    expect(messages.filter((m) => m.kind === 'alert')).toHaveLength(2);
    expect(DEMO_PRODUCTS.map((p) => p.code).sort()).toEqual(products.map((p: { code: string }) => p.code).sort());
    const cases = (await api('GET', '/admin/cases', { token: admin })).body.items as Array<{ kind: string; customerId: string; productCode?: string }>;
    expect(cases.map((c) => [c.kind, c.customerId, c.productCode].filter(Boolean).join(' ')).sort()).toEqual(['complaint D001', 'feedback D002 NEWS', 'follow-up D004 ALERTS']);
    expect(messages.filter((m) => m.kind === 'survey').map((m) => m.productCode)).toEqual(['ALERTS']);
    const { latestSurvey } = (await api('GET', '/admin/products/ALERTS/stats', { token: admin })).body;
    expect((await api('GET', `/admin/surveys/${latestSurvey.surveyId}`, { token: admin })).body).toMatchObject({ sent: 2, responses: 2, distribution: { '2': 1, '5': 1 }, average: 3.5 });
  }, 120_000);

  it('loads twice without duplicates: the second load changes no item of the table, no count', async () => {
    const itemsBefore = await tableItems();
    const before = await counts();
    second = await loadDemo(platform().url, (line) => printed.push(line));
    expect(second.created).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(before).toMatchObject({ products: DEMO_PRODUCTS.length, customers: DEMO_CUSTOMERS.length });
    expect(await tableItems()).toEqual(itemsBefore);
    expect(printed[0]).toBe('Demo data already loaded: nothing changed. Try next:');
  }, 120_000);

  it('prints commands to try next that all succeed', async () => {
    const lines = printed.slice(1).map((l) => l.trim());
    expect(lines).toEqual(second.tryNext);
    const ran = await runTryNext(lines);
    expect(ran.length).toBeGreaterThanOrEqual(10);
    const reminders = await api('GET', '/admin/messages?productCode=IPO', { token: await token('admin') });
    expect(reminders.body.items).toEqual([expect.objectContaining({ kind: 'reminder', productCode: 'IPO' })]);
  });
});
