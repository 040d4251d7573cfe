import * as z from 'zod';
import { productCodeSchema, smsTypeSchema } from './product.ts';
import { safeText } from './text-rules.ts';

/** POST /admin/messages: a message to every active subscriber of a product, now or at `sendAt`. */
export const publishMessageSchema = z
  .strictObject({
    productCode: productCodeSchema,
    body: safeText({ max: 1000, multiline: true }),
    sendAt: z.iso.datetime({ offset: true }).optional().describe('When to send (ISO-8601 with offset, at most a year ahead); now when absent or past'),
    slot: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/)
      .optional()
      .describe('Queue it for the next occurrence of this product slot (e.g. "morning": weekdays 08:45 Asia/Shanghai, trading days only) instead of sending now'),
  })
  .refine((m) => !(m.sendAt && m.slot), { message: 'Give sendAt or slot, not both', path: ['slot'] })
  .meta({ id: 'PublishMessage' });
export type PublishMessageInput = z.infer<typeof publishMessageSchema>;

export const MESSAGE_STATUSES = ['queued', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Message {
  messageId: string;
  productCode: string;
  body: string;
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
  version: number;
}

/**
 * One batch of recipients of a message, as queued for the sender (at most 100). It carries
 * what the sender needs of the message, so that a batch costs no read of the message item.
 */
export interface RecipientBatch {
  messageId: string;
  batchId: string;
  customerIds: string[];
  productCode: string;
  smsType: Message['smsType'];
  /** The SMS as sent: signature, body and (promotional) footer. */
  text: string;
  /** Set on recipients that quiet hours held back: the instant they were held until. */
  releaseAt?: string;
}

export const SKIP_REASONS = ['opted-out', 'expired', 'not-subscribed', 'capped'] as const;
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

export const messageViewSchema = z
  .object({
    messageId: z.string(),
    productCode: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    sendAt: z.string().optional(),
    slot: z.string().optional(),
    estimate: z.object({ recipients: z.number().int(), segments: z.number().int() }),
    counts: z.object({
      recipients: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
      skipped: z.number().int(),
      deferred: z.number().int().describe('Promotional recipients held by quiet hours, sent when they end'),
      skippedByReason: z.record(z.string(), z.number().int()),
    }),
  })
  .meta({ id: 'MessageView' });
export type MessageView = z.infer<typeof messageViewSchema>;
