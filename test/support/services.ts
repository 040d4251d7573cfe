import { createAuditService, createCatalogService, type Actor, type CreateProductInput, type OutboundSms, type PutCustomerInput } from '../../packages/core/index.ts';
import {
  alertServiceFromEnv,
  alertsEnv,
  customerServiceFromEnv,
  customersEnv,
  inboundSmsEnv,
  inboundSmsServiceFromEnv,
  packageServiceFromEnv,
  pointsEnv,
  pointsServiceFromEnv,
  caseServiceFromEnv,
  receiptServiceFromEnv,
  receiptsEnv,
  ulidGenerator,
} from '../../packages/lambda/index.ts';
import { createTestTable, type TestTable } from './dynamo.ts';

export const agent: Actor = { actor: 'agent.zhao', role: 'service-agent', channel: 'admin-api' };
export const pm: Actor = { actor: 'pm.wang', role: 'product-manager', channel: 'admin-api' };
export const trading: Actor = { actor: 'trading', role: 'system', channel: 'event' };

/** A clock the test moves by hand. */
export function manualClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    set: (iso: string) => void (now = new Date(iso)),
    advanceDays: (days: number) => void (now = new Date(now.getTime() + days * 86_400_000)),
  };
}

/** An SmsSender that keeps what it sent. */
export function recordingSender() {
  const sent: OutboundSms[] = [];
  return { sent, send: async (sms: OutboundSms) => (sent.push(sms), { messageId: `m-${sent.length}` }) };
}

/**
 * Platform services on a fresh DynamoDB Local table, wired as the functions wire them (the same
 * factories, the same environment variables in `env`), with a manual clock and a recording SMS sender.
 */
export async function servicesOnTestTable(start = '2026-11-25T02:00:00.000Z', env: Record<string, string> = {}) {
  const table: TestTable = await createTestTable();
  const clock = manualClock(start);
  const sender = recordingSender();
  const system = { clock, ids: ulidGenerator };
  const vars = { TABLE_NAME: table.tableName, ...env };
  const repos = table.repos;
  let customerCounter = 0;
  const services = {
    catalog: createCatalogService({ ...repos, ...system }),
    customers: customerServiceFromEnv(customersEnv.parse(vars), repos, system, { signature: '【XX证券】' }),
    audit: createAuditService({ ...repos, clock }),
    points: pointsServiceFromEnv(pointsEnv.parse(vars), repos, system),
    packages: packageServiceFromEnv(customersEnv.parse(vars), repos, system),
    sms: () => inboundSmsServiceFromEnv(inboundSmsEnv.parse(vars), repos, sender, system),
    alerts: () => alertServiceFromEnv(alertsEnv.parse(vars), repos, sender, system),
    receipts: receiptServiceFromEnv(receiptsEnv.parse(vars), repos, { ...system, sleep: async () => undefined }),
    cases: () => caseServiceFromEnv({ ...pointsEnv.parse(vars), SMS_SIGNATURE: '【XX证券】' }, repos, sender, system),
  };
  return {
    table,
    clock,
    sender,
    repos,
    ...services,
    async customer(id: string, fields: Partial<PutCustomerInput> = {}) {
      const phone = `+86139${String(10_000_000 + customerCounter++).slice(-8)}`;
      return (await services.customers.putCustomer(id, { phone, assetsFen: 0, riskTolerance: 'C3', ...fields }, agent)).customer;
    },
    async product(fields: Partial<CreateProductInput> & { code: string }) {
      return services.catalog.createProduct({ name: fields.code, kind: 'general', riskLevel: 'R1', ...fields }, pm);
    },
  };
}

export type TestServices = Awaited<ReturnType<typeof servicesOnTestTable>>;
