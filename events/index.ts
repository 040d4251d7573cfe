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

export const commissionChargedSchema = z
  .object({
    customerId: customerId.describe('The client charged'),
    tradeId: externalId().describe('The trade: points are credited once per tradeId'),
    commissionFen: z.number().int().min(0).max(MAX_COMMISSION_FEN_PER_TRADE).describe('The commission charged, in fen (1/100 yuan)'),
    at: isoDateTime.describe('When it was charged (ISO-8601 with offset)'),
  })
  .describe('Credits points for the commission: floor(commissionFen x rate x tier multiplier), once per tradeId');

export const accountEventSchema = z
  .object({
    customerId: customerId.describe('The client the alert is for'),
    eventId: externalId().describe('The event: one alert at most per eventId'),
    type: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or "-"')
      .describe('Which alert template (trade-filled, funds-moved, margin-call and any configured); a type without one gets the neutral default'),
    data: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'field names: letters, digits, "_"'), alertValue)
      .refine((data) => Object.keys(data).length <= 20, 'at most 20 fields')
      .describe("The values the type's template quotes (at most 20; each a number, a boolean or one line of 64 characters)"),
    at: isoDateTime.describe('When it happened (ISO-8601 with offset)'),
  })
  .describe('One transactional alert to the client if they hold an active account-alerts subscription and have not opted out; once per eventId, at any hour');

export const customerReferredSchema = z
  .object({
    referrerId: customerId.describe('The client who referred (credited the referral bonus)'),
    referredId: customerId.describe('The new client, already stored here; a client is referred once'),
    at: isoDateTime.describe('When the referral was recorded (ISO-8601 with offset)'),
  })
  .describe("Credits the referrer's bonus, once per referred client");

export const ipoScheduledSchema = z
  .object({
    ipoId: externalId(64).describe('The IPO: sending it again (updated) replaces its reminders'),
    stockCode: stockCode.describe('The stock code the reminder names'),
    stockName: safeText({ max: 50 }).describe('The stock name the reminder names'),
    subscriptionDate: isoDate.describe('The subscription day (YYYY-MM-DD, exchange local): a reminder that day'),
    listingDate: isoDate.optional().describe('The listing day, when known: a reminder that day too'),
  })
  .describe('Schedules a reminder on the subscription day and one on the listing day, at IPO_REMINDER_TIME (08:30 Asia/Shanghai), to every ipo-reminders product; no client gets the same reminder (IPO, day) twice');

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
