import * as z from 'zod';
import { MESSAGE_KINDS, customerIdSchema, externalId, safeText } from '../packages/core/index.ts';

/**
 * Every event the platform consumes (API.md, "Events consumed"), as zod schemas.
 * Sample JSON of each lives beside this file and is validated by test/unit/events.test.ts.
 */
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/**
 * Every field is bounded: an event's text can reach a client's phone, and its ids are stored.
 * A trade's commission above this is not plausible for one trade (500,000 yuan): refused.
 */
export const MAX_COMMISSION_FEN_PER_TRADE = 50_000_000;
const customerId = customerIdSchema;
const stockCode = z.string().regex(/^[A-Za-z0-9.]{1,16}$/, 'must be 1–16 letters, digits or dots');
/** A value an account alert may quote: short, one line, no control characters. */
const alertValue = z.union([safeText({ max: 64 }), z.number().finite(), z.boolean()]);

export const commissionChargedSchema = z.object({
  customerId,
  tradeId: externalId(),
  commissionFen: z.number().int().min(0).max(MAX_COMMISSION_FEN_PER_TRADE),
  at: isoDateTime,
});

export const accountEventSchema = z.object({
  customerId,
  eventId: externalId(),
  type: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or "-"'),
  data: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'field names: letters, digits, "_"'), alertValue).refine((data) => Object.keys(data).length <= 20, 'at most 20 fields'),
  at: isoDateTime,
});

export const customerReferredSchema = z.object({
  referrerId: customerId,
  referredId: customerId,
  at: isoDateTime,
});

export const ipoScheduledSchema = z.object({
  ipoId: externalId(64),
  stockCode,
  stockName: safeText({ max: 50 }),
  subscriptionDate: isoDate,
  listingDate: isoDate.optional(),
});

/** What an IPO reminder schedule passes to the ipo-reminders function when it fires. */
export const ipoReminderInputSchema = z.strictObject({
  reminder: z.strictObject({
    ipoId: externalId(64),
    day: z.enum(['subscription', 'listing']),
    date: isoDate,
    stockCode,
    stockName: safeText({ max: 50 }),
  }),
});

/** source -> detail-type -> detail schema. */
export const consumedEvents = {
  trading: { CommissionCharged: commissionChargedSchema, AccountEvent: accountEventSchema },
  crm: { CustomerReferred: customerReferredSchema },
  market: { IpoScheduled: ipoScheduledSchema },
} as const;

/** What `POST /local/events` and EventBridge PutEvents carry (the fields we route on). */
export const eventEnvelopeSchema = z.object({
  source: z.string().min(1),
  'detail-type': z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
  id: z.string().optional(),
  time: z.string().optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** The detail schema of a consumed event, or undefined for an event the platform does not consume. */
export function detailSchemaFor(source: string, detailType: string): z.ZodType | undefined {
  const bySource = (consumedEvents as Record<string, Record<string, z.ZodType>>)[source];
  return bySource?.[detailType];
}

/**
 * An EventBridge event as a Lambda target receives it, with the detail parsed by `detail`.
 * (The envelope fields we rely on; EventBridge adds version, account, region, resources.)
 */
export function eventBridgeEvent<S extends string, T extends string, D extends z.ZodType>(source: S, detailType: T, detail: D) {
  return z.object({
    id: z.string().optional(),
    time: z.string().optional(),
    source: z.literal(source),
    'detail-type': z.literal(detailType),
    detail,
  });
}

export * from './routes.ts';

/** What AWS End User Messaging publishes to the inbound SNS topic for each SMS a client sends. */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(3),
  destinationNumber: z.string().optional(),
  messageKeyword: z.string().optional(),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSmsMessage = z.infer<typeof inboundSmsSchema>;

/** The SNS event a subscribed Lambda receives (the fields we read). */
export const snsEventSchema = z.object({
  Records: z.array(
    z.object({
      EventSource: z.literal('aws:sns'),
      Sns: z.object({ MessageId: z.string(), Message: z.string(), TopicArn: z.string().optional() }),
    }),
  ).min(1),
});

/** A recipient batch on the delivery queue (dispatcher -> sender): one SQS message body. */
export const recipientBatchSchema = z.strictObject({
  messageId: z.string().min(1),
  kind: z.enum(MESSAGE_KINDS).optional(),
  /** A survey's question: each recipient's number remembers it (a score then finds it). */
  survey: z.strictObject({ surveyId: z.string().min(1), closesAt: z.iso.datetime() }).optional(),
  batchId: z.string().min(1),
  customerIds: z.array(z.string().min(1)).min(1).max(100),
  productCode: z.string().min(1),
  smsType: z.enum(['Transactional', 'Promotional']),
  text: z.string().min(1),
  releaseAt: z.iso.datetime().optional(),
});

/** The SQS event the sender receives (the fields we read). */
export const sqsEventSchema = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });
export * from './receipts.ts';
