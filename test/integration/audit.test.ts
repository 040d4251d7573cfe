import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../packages/core/index.ts';
import { adminApiOnTestTable } from '../support/dynamo.ts';

const api = adminApiOnTestTable();
const call: typeof api.call = (...args) => api.call(...args);

/** 40 records over three days, two entities and two actors; several share one millisecond. */
const records: AuditRecord[] = Array.from({ length: 40 }, (_, i) => ({
  auditId: `01AUDIT${String(i).padStart(4, '0')}`,
  at: new Date(Date.parse('2026-11-28T22:00:00.000Z') + Math.floor(i / 3) * 3 * 3_600_000).toISOString(),
  actor: i % 3 === 0 ? 'auditor.li' : 'agent.zhao',
  role: 'service-agent',
  channel: 'admin-api',
  action: 'customer.updated',
  entityType: 'customer',
  entity: i % 2 === 0 ? 'C-EVEN' : 'C-ODD',
  before: null,
  after: { n: i },
}));
const window = { from: '2026-11-28T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const newestFirst = (list: AuditRecord[]) => list.map((r) => `${r.at}#${r.auditId}`).sort().reverse();

/** Every page of a listing, following `cursor` until there is none. */
async function allPages(query: Record<string, string>): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await call('GET', '/admin/audit', { role: 'auditor', query: { ...window, ...query, limit: '7', ...(cursor && { cursor }) } });
    expect(res.status).toBe(200);
    const items = res.body.items as AuditRecord[];
    expect(items.length).toBeLessThanOrEqual(7);
    keys.push(...items.map((r) => `${r.at}#${r.auditId}`));
    cursor = res.body.cursor as string | undefined;
    pages++;
  } while (cursor);
  return { keys, pages };
}

describe('audit log paging (GET /admin/audit with cursor)', () => {
  beforeAll(async () => {
    for (const record of records) await api.table.repos.unitOfWork.commit([{ kind: 'audit', record }]);
  });

  it('pages through all records of the window newest first, across days, each once', async () => {
    const { keys, pages } = await allPages({});
    expect(keys).toEqual(newestFirst(records));
    expect(pages).toBe(Math.ceil(records.length / 7));
  });

  it('pages through one entity and one actor the same way', async () => {
    expect((await allPages({ entity: 'C-ODD' })).keys).toEqual(newestFirst(records.filter((r) => r.entity === 'C-ODD')));
    expect((await allPages({ actor: 'auditor.li' })).keys).toEqual(newestFirst(records.filter((r) => r.actor === 'auditor.li')));
    expect((await allPages({ entity: 'C-EVEN', actor: 'auditor.li' })).keys).toEqual(newestFirst(records.filter((r) => r.entity === 'C-EVEN' && r.actor === 'auditor.li')));
  });

  it('gives no cursor on the last page, and an empty page for a cursor older than the window', async () => {
    const all = await call('GET', '/admin/audit', { role: 'auditor', query: { ...window, limit: '40' } });
    expect(all.body.items).toHaveLength(40);
    expect(all.body.cursor).toBeUndefined();
    const first = await call('GET', '/admin/audit', { role: 'auditor', query: { ...window, limit: '39' } });
    expect(first.body.cursor).toEqual(expect.any(String));
    const later = await call('GET', '/admin/audit', { role: 'auditor', query: { from: '2026-11-30T12:00:00.000Z', to: window.to, cursor: first.body.cursor } });
    expect(later.status).toBe(200);
    expect(later.body.items).toEqual([]);
  });

  it('refuses an edited cursor and a cursor of another entity or actor with 400 naming the cursor', async () => {
    const page = await call('GET', '/admin/audit', { role: 'auditor', query: { ...window, entity: 'C-ODD', limit: '2' } });
    const cursor = page.body.cursor as string;
    const edited = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'AB' : 'AA'}`;
    for (const query of [{ cursor: edited }, { entity: 'C-EVEN', cursor }, { actor: 'nobody', cursor }, { cursor: 'not-a-cursor' }] as Array<Record<string, string>>) {
      const res = await call('GET', '/admin/audit', { role: 'auditor', query: { ...window, ...query } });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });
});
