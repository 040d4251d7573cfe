import { describe, expect, it } from 'vitest';
import { adminApiOnTestTable } from '../support/dynamo.ts';

const api = adminApiOnTestTable();
const pm = { role: 'product-manager' as const, user: 'pm.wang' };

describe('messages over the admin API: refusals write nothing', () => {
  it('refuses an unknown product (404), a delisted one (409), a send more than a year ahead, a bad body and the wrong role', async () => {
    await api.call('POST', '/admin/products', { body: { code: 'OFF', name: 'off', kind: 'general', riskLevel: 'R1', listed: false }, ...pm });
    const before = await api.table.items();
    expect((await api.call('POST', '/admin/messages', { body: { productCode: 'NOPE', body: 'x' }, ...pm })).status).toBe(404);
    const delisted = await api.call('POST', '/admin/messages', { body: { productCode: 'OFF', body: 'x' }, ...pm });
    expect(delisted.status).toBe(409);
    expect(delisted.body.reason).toBe('product-not-listed');
    expect(await api.table.items()).toEqual(before);
    await api.call('POST', '/admin/products/OFF/listing', { body: { listed: true }, ...pm });
    const before2 = await api.table.items();
    const farAhead = await api.call('POST', '/admin/messages', { body: { productCode: 'OFF', body: 'x', sendAt: '2099-12-01T08:45:00+08:00' }, ...pm });
    expect(farAhead.status).toBe(400);
    expect(farAhead.body.errors).toEqual([{ field: 'sendAt', message: 'at most a year from now' }]);
    expect((await api.call('POST', '/admin/messages', { body: { productCode: 'OFF', body: 'x', sendAt: 'tomorrow' }, ...pm })).status).toBe(400);
    expect(await api.table.items()).toEqual(before2);
    await api.call('POST', '/admin/products/OFF/listing', { body: { listed: false }, ...pm });
    const before3 = await api.table.items();
    expect((await api.call('POST', '/admin/messages', { body: { productCode: 'OFF', body: '   ' }, ...pm })).status).toBe(400);
    expect((await api.call('POST', '/admin/messages', { body: { productCode: 'OFF', body: 'x' }, role: 'service-agent' })).status).toBe(403);
    expect(await api.table.items()).toEqual(before3);
  });

  it('answers 400 for a malformed message id and 404 for an unknown one', async () => {
    expect((await api.call('GET', '/admin/messages/not-an-id', pm)).status).toBe(400);
    expect((await api.call('GET', '/admin/messages/01KAAAAAAAAAAAAAAAAAAAAAAA', pm)).status).toBe(404);
  });
});
