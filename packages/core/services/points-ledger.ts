import type { Actor } from '../access.ts';
import { auditRecord } from '../audit.ts';
import { ConflictError } from '../errors.ts';
import type { LedgerEntry, LedgerKind } from '../points.ts';
import type { Change } from '../ports/changes.ts';
import type { CustomerState } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';

/**
 * The two changes every points movement writes, whoever moves the points (earning, staff
 * adjustments, redemptions, tier purchases): the ledger entry with the balance conditional on
 * the version read, and its audit record.
 */
export function ledgerMoves(deps: { clock: Clock; ids: IdGenerator }) {
  const { clock, ids } = deps;

  /** The ledger entry and balance change for `delta`; refuses to go below zero. */
  function movePoints(
    state: CustomerState,
    delta: number,
    kind: LedgerKind,
    reason: string,
    operationId: string,
    by: Actor,
    reference?: LedgerEntry['reference'],
  ): { change: Change; entry: LedgerEntry } {
    const { balance, version } = state.points;
    const balanceAfter = balance + delta;
    if (balanceAfter < 0) {
      throw new ConflictError('insufficient-points', `This needs ${-delta} points; the balance is ${balance}`, {
        details: { balance, required: -delta, missingPoints: -balanceAfter },
      });
    }
    const entry: LedgerEntry = {
      entryId: ids.next(),
      customerId: state.customer.customerId,
      seq: version + 1,
      delta,
      balanceAfter,
      kind,
      reason,
      at: clock.now().toISOString(),
      operationId,
      actor: by.actor,
      role: by.role,
      channel: by.channel,
      ...(reference && { reference }),
    };
    return {
      entry,
      change: { kind: 'points', customerId: entry.customerId, account: { balance: balanceAfter, version: entry.seq }, expectedVersion: version, entry },
    };
  }

  function pointsAudit(by: Actor, action: string, entry: LedgerEntry, before: number, extraAfter: Record<string, unknown> = {}): Change {
    return {
      kind: 'audit',
      record: auditRecord(
        by,
        {
          action,
          entityType: 'customer',
          entity: entry.customerId,
          before: { balance: before },
          after: { balance: entry.balanceAfter, delta: entry.delta, kind: entry.kind, ...extraAfter },
          reason: entry.reason,
        },
        ids.next(),
        entry.at,
      ),
    };
  }

  return { movePoints, pointsAudit };
}
