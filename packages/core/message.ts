import * as z from 'zod';
import { productCodeSchema, smsTypeSchema } from './product.ts';
import { safeText } from './text-rules.ts';

/** The adviser an investment-tips message names (证券投资顾问): name and practising registration code (执业编号). */
export const adviserSchema = z
  .strictObject({
    name: safeText({ max: 50 }),
    registrationCode: z.string().regex(/^S\d{13}$/, 'must be S followed by 13 digits (执业编号)'),
  })
  .meta({ id: 'Adviser' });
export type Adviser = z.infer<typeof adviserSchema>;

const sendAtSchema = z.iso.datetime({ offset: true }).describe('When to send (ISO-8601 with offset, at most a year ahead); now when absent or past');
const slotSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,32}$/)
  .describe('Queue it for the next occurrence of this product slot (e.g. "morning": weekdays 08:45 Asia/Shanghai, trading days only) instead of sending now');

/** POST /admin/messages: a message to every active subscriber of a product, now or at `sendAt`. */
export const publishMessageSchema = z
  .strictObject({
    productCode: productCodeSchema,
    body: safeText({ max: 1000, multiline: true }),
    sendAt: sendAtSchema.optional(),
    slot: slotSchema.optional(),
    adviser: adviserSchema.optional().describe('Required for investment-tips: the SMS names the adviser and code, with a risk warning'),
  })
  .refine((m) => !(m.sendAt && m.slot), { message: 'Give sendAt or slot, not both', path: ['slot'] })
  .meta({ id: 'PublishMessage' });
export type PublishMessageInput = z.infer<typeof publishMessageSchema>;

/** PATCH /admin/messages/{id}: before it is sent; a message under review goes back to pending-review. */
export const patchMessageSchema = z
  .strictObject({
    body: safeText({ max: 1000, multiline: true }).optional(),
    sendAt: sendAtSchema.nullable().optional().describe('null: send as soon as it may (now, or once approved)'),
    slot: slotSchema.nullable().optional(),
    adviser: adviserSchema.optional(),
  })
  .refine((m) => Object.keys(m).length > 0, { message: 'name at least one field to change' })
  .refine((m) => !(m.sendAt && m.slot), { message: 'Give sendAt or slot, not both', path: ['slot'] })
  .meta({ id: 'PatchMessage' });
export type PatchMessageInput = z.infer<typeof patchMessageSchema>;

/** POST /admin/messages/{id}/reviews (compliance). */
export const reviewDecisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    note: safeText({ max: 500, multiline: true }).optional(),
  })
  .meta({ id: 'ReviewDecision' });
export type ReviewDecisionInput = z.infer<typeof reviewDecisionSchema>;

export const MESSAGE_STATUSES = ['pending-review', 'rejected', 'queued', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What a message is: staff's broadcast to a product, a reminder the platform sends (an IPO day), one client's account alert, or a survey's question. */
export const MESSAGE_KINDS = ['broadcast', 'reminder', 'alert', 'survey'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** GET /admin/messages: newest first, by status and product. */
export const listMessagesQuerySchema = z.strictObject({
  status: z.enum(MESSAGE_STATUSES).optional(),
  productCode: productCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

/** One compliance decision, bound to the exact text (contentHash) the reviewer saw. */
export interface Review {
  reviewer: string;
  decision: 'approve' | 'reject';
  note?: string;
  contentHash: string;
  at: string;
}

export interface Message {
  messageId: string;
  kind?: MessageKind;
  productCode: string;
  body: string;
  adviser?: Adviser;
  /** SHA-256 of the composed SMS text: what reviews are bound to, and what the send path checks. */
  contentHash?: string;
  /** The product required compliance review when it was published. */
  reviewRequired?: boolean;
  /** Reviewers who approved the current text (an edit empties it). */
  approvals?: string[];
  /** Every decision, on every version of the text. */
  reviews?: Review[];
  /** The contentHash the approvals cleared for sending. */
  approvedHash?: string;
  smsType: z.infer<typeof smsTypeSchema>;
  status: MessageStatus;
  sendAt?: string;
  /** Queued for the next occurrence of this product slot. */
  slot?: string;
  createdAt: string;
  createdBy: string;
  estimate: { recipients: number; segments: number };
  /** Set by the dispatcher once it has paged the whole audience. */
  recipients?: number;
  /** A survey's question: the survey, and when its answers stop counting. */
  survey?: { surveyId: string; closesAt: string };
  version: number;
}

/**
 * One batch of recipients of a message, as queued for the sender (at most 100). It carries
 * what the sender needs of the message, so that a batch costs no read of the message item.
 */
export interface RecipientBatch {
  messageId: string;
  /** What the message is (a reminder or a staff broadcast): recorded with each SMS. */
  kind?: MessageKind;
  /** A survey's question: each recipient's number remembers it (a score then finds it). */
  survey?: { surveyId: string; closesAt: string };
  batchId: string;
  customerIds: string[];
  productCode: string;
  smsType: Message['smsType'];
  /** The SMS as sent: signature, body and (promotional) footer. */
  text: string;
  /** Set on recipients that quiet hours held back: the instant they were held until. */
  releaseAt?: string;
}

export const SKIP_REASONS = ['opted-out', 'expired', 'not-subscribed', 'capped', 'undeliverable'] as const;
export type MessageSkipReason = (typeof SKIP_REASONS)[number];

/**
 * What happened to the recipients of one batch attempt. `deferred` moves up when quiet hours
 * hold recipients back and down when their release is sent, so the sum over a message's
 * records always accounts for every recipient once.
 */
export interface BatchOutcome {
  sent: number;
  failed: number;
  skipped: Partial<Record<MessageSkipReason, number>>;
  deferred: number;
}

export const reviewRecordSchema = z
  .object({
    reviewer: z.string(),
    decision: z.enum(['approve', 'reject']),
    note: z.string().optional(),
    contentHash: z.string(),
    at: z.string(),
  })
  .meta({ id: 'Review' });

export const messageViewSchema = z
  .object({
    messageId: z.string(),
    kind: z.enum(MESSAGE_KINDS),
    productCode: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    body: z.string(),
    text: z.string().describe('The SMS exactly as each recipient gets it: signature, body, adviser line and risk warning, footer'),
    contentHash: z.string().describe('SHA-256 of text: what a review is bound to'),
    adviser: adviserSchema.optional(),
    createdAt: z.string(),
    createdBy: z.string(),
    sendAt: z.string().optional(),
    slot: z.string().optional(),
    review: z
      .object({
        required: z.boolean(),
        approvals: z.array(z.string()).describe('Reviewers who approved the current text'),
        approvalsRequired: z.number().int().describe('1, or 2 from REVIEW_TWO_APPROVERS_FROM recipients (counted when reviewed)'),
      })
      .optional(),
    reviews: z.array(reviewRecordSchema),
    estimate: z.object({ recipients: z.number().int(), segments: z.number().int() }),
    counts: z.object({
      recipients: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      deferred: z.number().int().describe('Promotional recipients held by quiet hours, sent when they end'),
      heldUntil: z.string().optional().describe('While some are held: when quiet hours end for them (their release)'),
      skippedByReason: z.record(z.string(), z.number().int()),
      delivered: z.number().int().describe('Part of sent: the carrier reported it delivered'),
      undelivered: z.number().int().describe('Part of sent: the carrier reported it not delivered'),
      undeliveredByReason: z.record(z.string(), z.number().int()).describe('invalid-number, unreachable, blocked, expired, unknown'),
      priceUsd: z.number().describe('What the carrier charged, from the receipts so far'),
      awaitingReceipt: z.number().int().describe('Part of sent with no receipt yet (receipts can lag by up to 72 hours)'),
      receiptsOverdue: z.number().int().describe('Of those, how many still have none RECEIPT_WAIT_HOURS after the last batch was sent'),
    }),
  })
  .meta({ id: 'MessageView' });
export type MessageView = z.infer<typeof messageViewSchema>;
