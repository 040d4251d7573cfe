import * as z from 'zod';
import type { Actor } from './access.ts';

export const auditRecordSchema = z
  .object({
    auditId: z.string(),
    at: z.iso.datetime(),
    actor: z.string(),
    role: z.string(),
    channel: z.string(),
    action: z.string().describe('e.g. product.created, customer.updated'),
    entityType: z.string(),
    entity: z.string().describe('Id of what changed: product code, customer id, message id'),
    before: z.record(z.string(), z.unknown()).nullable().describe('Changed fields before (null on create)'),
    after: z.record(z.string(), z.unknown()).nullable().describe('Changed fields after'),
    reason: z.string().optional(),
  })
  .meta({ id: 'AuditRecord' });
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditQuerySchema = z.strictObject({
  entity: z.string().min(1).max(100).optional(),
  actor: z.string().min(1).max(200).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(2000).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

const SKIP = new Set(['version', 'updatedAt', 'createdAt']);

/**
 * Before/after summary of a change: only the fields that differ (bookkeeping fields left out),
 * so an audit record stays small however large the entity is.
 */
export function summariseChange(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Pick<AuditRecord, 'before' | 'after'> {
  if (!before || !after) {
    return { before: before && strip(before), after: after && strip(after) };
  }
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (SKIP.has(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !SKIP.has(k)));
}

export function auditRecord(
  by: Actor,
  fields: Omit<AuditRecord, 'auditId' | 'at' | 'actor' | 'role' | 'channel'>,
  auditId: string,
  at: string,
): AuditRecord {
  return { auditId, at, actor: by.actor, role: by.role, channel: by.channel, ...fields };
}
