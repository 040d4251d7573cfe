import type { AuditQuery, AuditRecord } from '../audit.ts';
import { ValidationError } from '../errors.ts';
import type { AuditRepository } from '../ports/repositories.ts';
import type { Clock } from '../ports/system.ts';

const DEFAULT_LIMIT = 100;
const DEFAULT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export function createAuditService({ audit, clock }: { audit: AuditRepository; clock: Clock }) {
  /** Newest first, a page at a time. Without `from`, the 30 days before `to`; without `to`, up to now. */
  async function listAudit(query: AuditQuery): Promise<{ items: AuditRecord[]; cursor?: string }> {
    // Normalised, so that the repository can compare timestamps as strings.
    const to = new Date(query.to ?? clock.now()).toISOString();
    const from = query.from ? new Date(query.from).toISOString() : new Date(Date.parse(to) - DEFAULT_WINDOW_DAYS * DAY_MS).toISOString();
    if (query.from && query.to && from > to) {
      throw new ValidationError('from is after to', [{ field: 'from', message: 'must not be after "to"' }]);
    }
    const page = await audit.list({
      ...(query.entity && { entity: query.entity }),
      ...(query.actor && { actor: query.actor }),
      from,
      to,
      limit: query.limit ?? DEFAULT_LIMIT,
      ...(query.cursor && { cursor: query.cursor }),
    });
    return { items: page.items, ...(page.nextCursor && { cursor: page.nextCursor }) };
  }
  return { listAudit };
}

export type AuditService = ReturnType<typeof createAuditService>;
