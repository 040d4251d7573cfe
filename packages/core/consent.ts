import * as z from 'zod';

/**
 * The consent ledger (服务留痕): every change of what a number agreed to receive, appended in the
 * same transaction as the change and never changed or deleted; kept as evidence (suitability and
 * consent records are kept for decades).
 */
export const CONSENT_ACTIONS = ['subscribe', 'unsubscribe', 'opt-out', 'opt-in', 'purchase-confirmed', 'gift-granted', 'gift-ended'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

export const consentEntrySchema = z
  .object({
    consentId: z.string(),
    at: z.string(),
    phone: z.string(),
    customerId: z.string().optional(),
    productCode: z.string().optional(),
    action: z.enum(CONSENT_ACTIONS),
    channel: z.enum(['admin-api', 'sms', 'event', 'schedule']),
    actor: z.string(),
    inboundMessageId: z.string().optional(),
    text: z.string().optional().describe("The client's own words, on every entry that came from an SMS"),
    disclosure: z.string().optional().describe('The disclosure the client confirmed (purchase-confirmed by SMS)'),
  })
  .meta({ id: 'ConsentEntry' });
export type ConsentEntry = z.infer<typeof consentEntrySchema>;

/** Where an entry came from: the SMS that made it (its words and id), or the staff member and channel. */
export interface ConsentSource {
  channel: ConsentEntry['channel'];
  actor: string;
  inboundMessageId?: string;
  text?: string;
}

/** A consent entry as a change of the unit of work that makes the consent change. */
export function consentChange(entry: Omit<ConsentEntry, 'consentId' | 'at'>, consentId: string, at: string) {
  const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as Omit<ConsentEntry, 'consentId' | 'at'>;
  return { kind: 'consent' as const, entry: { consentId, at, ...clean } };
}
