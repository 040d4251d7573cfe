import * as z from 'zod';
import {
  SMS_STATUSES,
  UNDELIVERED_REASONS,
  listMessagesQuerySchema,
  messageViewSchema,
  patchMessageSchema,
  publishMessageSchema,
  reviewDecisionSchema,
  type MessagePublisher,
  type MessageReview,
} from '../../packages/core/index.ts';
import { defineRoute, type Route } from '../../packages/lambda/index.ts';

/** A message id: a ULID, or a derived id (an IPO reminder's, an alert's). */
export const messageParams = z.strictObject({ messageId: z.string().regex(/^[0-9A-Z]{1,40}$/, 'a message id: 1–40 upper-case letters or digits') });

/** Messages: publish, list, edit, review (compliance), view, recipients by receipt status, cancel. */
export function messageRoutes(services: { messages: MessagePublisher; reviews: MessageReview }): Array<Route<any, any, any>> {
  const { messages, reviews } = services;
  return [
    defineRoute({
      method: 'POST',
      path: '/admin/messages',
      operationId: 'publishMessage',
      summary: "Send a message to a product's active subscribers: now, at sendAt (an EventBridge Scheduler one-time schedule) or at the next occurrence of a product slot; a product under review holds it as pending-review until compliance approves (422 content-violation for promised returns or insider claims)",
      tags: ['messages'],
      auth: { resource: 'messages', access: 'write' },
      body: publishMessageSchema,
      responses: { 202: { description: 'Accepted, with the estimate (recipients, SMS segments)', schema: messageViewSchema } },
      handle: async ({ body, by }) => ({ status: 202, body: await messages.publish(body, by) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/messages',
      operationId: 'listMessages',
      summary: 'Messages newest first, by status and product: the review queue is ?status=pending-review',
      tags: ['messages'],
      auth: { resource: 'messages', access: 'read' },
      query: listMessagesQuerySchema,
      responses: { 200: { description: 'One page', schema: z.object({ items: z.array(messageViewSchema), cursor: z.string().optional() }) } },
      handle: async ({ query }) => ({ status: 200, body: await messages.list(query) }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/admin/messages/{messageId}',
      operationId: 'editMessage',
      summary: 'Change a message before it is sent; under review it goes back to pending-review and earlier approvals are void (409 sending-began once sending began)',
      tags: ['messages'],
      auth: { resource: 'messages', access: 'write' },
      params: messageParams,
      body: patchMessageSchema,
      responses: { 200: { description: 'The message', schema: messageViewSchema } },
      handle: async ({ params, body, by }) => ({ status: 200, body: await messages.edit(params.messageId, body, by) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/admin/messages/{messageId}/reviews',
      operationId: 'reviewMessage',
      summary: 'Approve or reject a message held for review (compliance): bound to its contentHash; 409 self-review, already-reviewed, not-pending-review, content-changed',
      tags: ['messages'],
      auth: { resource: 'reviews', access: 'write' },
      params: messageParams,
      body: reviewDecisionSchema,
      responses: { 200: { description: 'The message after the decision', schema: messageViewSchema } },
      handle: async ({ params, body, by }) => ({ status: 200, body: await reviews.review(params.messageId, body, by) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/messages/{messageId}',
      operationId: 'getMessage',
      summary: 'Status and counts of a message: recipients = sent + failed + skipped (+ deferred while quiet hours hold some)',
      tags: ['messages'],
      auth: { resource: 'messages', access: 'read' },
      params: messageParams,
      responses: { 200: { description: 'The message', schema: messageViewSchema } },
      handle: async ({ params }) => ({ status: 200, body: await messages.view(params.messageId) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/messages/{messageId}/recipients',
      operationId: 'listMessageRecipients',
      summary: "A message's recipients by status from the carriers' receipts: sent (awaiting a receipt), delivered, undelivered (with the reason), failed",
      tags: ['messages'],
      auth: { resource: 'messages', access: 'read' },
      params: messageParams,
      query: z.strictObject({ status: z.enum(SMS_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(2000).optional() }),
      responses: {
        200: {
          description: 'One page',
          schema: z.object({
            items: z.array(z.object({ customerId: z.string(), status: z.enum(SMS_STATUSES), reason: z.enum(UNDELIVERED_REASONS).optional(), at: z.string() })),
            cursor: z.string().optional(),
          }),
        },
      },
      handle: async ({ params, query }) => ({ status: 200, body: await messages.recipients(params.messageId, query) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/admin/messages/{messageId}',
      operationId: 'cancelMessage',
      summary: 'Cancel a message not yet sent (under review, rejected, scheduled or queued; 409 once sending began): its schedule is removed',
      tags: ['messages'],
      auth: { resource: 'messages', access: 'write' },
      params: messageParams,
      responses: { 204: { description: 'Cancelled' } },
      handle: async ({ params, by }) => {
        await messages.cancel(params.messageId, by);
        return { status: 204 };
      },
    }),
  ];
}
