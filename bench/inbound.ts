import type { Actor, OutboundSms } from '../packages/core/index.ts';
import { DynamoStore } from '../packages/dynamo/index.ts';
import { createPlatformServices, platformConfigSchema, systemClock, ulidGenerator } from '../packages/lambda/index.ts';
import { ensureTable, startDynamoDbLocal } from '../packages/local/index.ts';
import { countingDynamoClient } from './dynamo-counter.ts';

export interface InboundRow {
  command: string;
  messages: number;
  perSecond: number;
  requestsPerMessage: number;
  byOperation: string;
}

const agent: Actor = { actor: 'bench', role: 'service-agent', channel: 'admin-api' };

/**
 * Inbound SMS through SmsService.handleInbound (what the inbound-sms Lambda calls per SNS
 * record) against DynamoDB Local, per command and for a mix, with DynamoDB requests per message.
 */
export async function inboundBench(options: { messages: number; concurrency: number }): Promise<InboundRow[]> {
  const dynamo = await startDynamoDbLocal();
  try {
    const db = countingDynamoClient(dynamo.endpoint);
    const tableName = 'bench-inbound';
    await ensureTable(dynamo.client, tableName);
    const sent: OutboundSms[] = [];
    const sender = { send: async (sms: OutboundSms) => (sent.push(sms), { messageId: String(sent.length) }) };
    const services = createPlatformServices(platformConfigSchema.parse({ TABLE_NAME: tableName }), new DynamoStore(db.doc, tableName), systemClock, ulidGenerator, sender);
    const sms = services.sms();
    await services.catalog.createProduct({ code: 'IPO', name: 'IPO提醒', kind: 'ipo-reminders', riskLevel: 'R1' }, agent);
    const customers = 200;
    const phone = (i: number) => `+86138${String(i).padStart(8, '0')}`;
    for (let i = 0; i < customers; i++) {
      await services.customers.putCustomer(`C${i}`, { phone: phone(i), assetsFen: 0, riskTolerance: 'C3' }, agent);
    }

    let id = 0;
    const run = async (label: string, texts: string[]): Promise<InboundRow> => {
      db.reset();
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < options.messages) {
            const n = next++;
            await sms.handleInbound({ from: phone(n % customers), text: texts[n % texts.length]!, inboundMessageId: `bench-${id++}` });
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return {
        command: label,
        messages: options.messages,
        perSecond: Math.round(options.messages / seconds),
        requestsPerMessage: Math.round((db.total() / options.messages) * 100) / 100,
        byOperation: Object.entries(db.counts)
          .map(([k, v]) => `${k} ${(v / options.messages).toFixed(2)}`)
          .join(', '),
      };
    };
    const rows = [
      await run('DY IPO (subscribe)', ['DY IPO']),
      await run('CX (list)', ['CX']),
      await run('hello (unknown: help reply)', ['hello']),
      await run('mix: DY, TD, CX, JF, BZ, unknown', ['DY IPO', 'TD IPO', 'CX', 'JF', 'BZ', 'hello']),
    ];
    db.client.destroy();
    return rows;
  } finally {
    await dynamo.stop();
  }
}
