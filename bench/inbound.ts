import type { Actor, OutboundSms } from '../packages/core/index.ts';
import { perOperation, runConcurrently, withBenchPlatform } from './harness.ts';

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
  const sent: OutboundSms[] = [];
  const sender = { send: async (sms: OutboundSms) => (sent.push(sms), { messageId: String(sent.length) }) };
  return withBenchPlatform(
    'bench-inbound',
    async ({ services, db }) => {
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
        const wallMs = await runConcurrently(options.messages, options.concurrency, async (n) => {
          await sms.handleInbound({ from: phone(n % customers), text: texts[n % texts.length]!, inboundMessageId: `bench-${id++}` });
        });
        return {
          command: label,
          messages: options.messages,
          perSecond: Math.round((options.messages / wallMs) * 1000),
          requestsPerMessage: Math.round((db.total() / options.messages) * 100) / 100,
          byOperation: perOperation(db.counts, options.messages),
        };
      };
      return [
        await run('DY IPO (subscribe)', ['DY IPO']),
        await run('CX (list)', ['CX']),
        await run('hello (unknown: help reply)', ['hello']),
        await run('mix: DY, TD, CX, JF, BZ, unknown', ['DY IPO', 'TD IPO', 'CX', 'JF', 'BZ', 'hello']),
      ];
    },
    sender,
  );
}
