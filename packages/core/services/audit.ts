import type { AuditQuery, AuditRecord } from '../audit.ts';
import { ValidationError } from '../errors.ts';
import type { Store } from '../ports.ts';

const DEFAULT_LIMIT = 100;

export function createAuditService({ store }: { store: Store }) {
  /** Newest first. Without `from`, the last 30 days; without `to`, up to now. */
  async function listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    // Normalise so that the store can compare timestamps as strings.
    const from = query.from && new Date(query.from).toISOString();
    const to = query.to && new Date(query.to).toISOString();
    if (from && to && from > to) {
      throw new ValidationError('from is after to', [{ field: 'from', message: 'must not be after "to"' }]);
    }
    return store.listAudit({ ...query, from, to, limit: query.limit ?? DEFAULT_LIMIT });
  }
  return { listAudit };
}

export type AuditService = ReturnType<typeof createAuditService>;
