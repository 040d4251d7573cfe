import { ConcurrentModificationError, ConflictError, IdempotencyKeyReuseError, NotFoundError, OperationAlreadyAppliedError } from '../errors.ts';
import type { Change } from '../ports/changes.ts';
import type { CustomerRepository, CustomerState, OperationRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock } from '../ports/system.ts';
import { retry, sleep as realSleep, type Sleep } from '../retry.ts';

export interface Plan<R> {
  changes: Change[];
  result: R;
}

export interface ApplyOptions {
  operations: OperationRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  /** What a repeated key with a different request means: an error (API callers) or a no-op (events). */
  onMismatch: 'reject' | 'ignore';
  maxAttempts?: number;
  sleep?: Sleep;
}

/** Contenders for one item re-plan quickly: up to 100 ms apart. */
const CONFLICT_BACKOFF = { baseMs: 2, capMs: 100 };
const isConflict = (error: unknown) => error instanceof ConcurrentModificationError;

/** Stable JSON (sorted keys) so that the same request always compares equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Runs a read-decide-write operation at most once per `key`:
 * - `plan()` reads the current state and returns the changes (or throws a refusal);
 * - the changes are committed together with the key's record, so the key and the effect
 *   exist together or not at all;
 * - a version conflict (a concurrent writer) re-plans after a jittered back-off;
 * - a key already recorded answers with the recorded result (`replayed`), or with 422 when the
 *   request differs.
 * A refusal is only final after checking the key, so a replay of a request that succeeded
 * earlier returns its result even when the same request would now be refused.
 */
export async function applyOnce<R>(
  key: string,
  request: unknown,
  plan: () => Promise<Plan<R> | undefined>,
  options: ApplyOptions,
): Promise<{ result: R | undefined; replayed: boolean }> {
  const { operations, unitOfWork, clock } = options;
  const requestJson = canonicalJson(request);

  const replay = async (cause: unknown): Promise<{ result: R | undefined; replayed: boolean } | undefined> => {
    const recorded = await operations.get(key);
    if (!recorded) return undefined;
    if (recorded.request !== requestJson && options.onMismatch === 'reject') {
      throw new IdempotencyKeyReuseError(`Idempotency key ${key.split('#').at(-1)} was used with a different request`, { cause });
    }
    return { result: recorded.result as R, replayed: true };
  };

  return retry(
    async () => {
      let planned: Plan<R> | undefined;
      try {
        planned = await plan();
      } catch (error) {
        if (error instanceof ConflictError) {
          const replayed = await replay(error);
          if (replayed) return replayed;
        }
        throw error;
      }
      if (!planned) return { result: undefined, replayed: false };
      try {
        await unitOfWork.commit([
          ...planned.changes,
          { kind: 'operation', key, request: requestJson, result: planned.result, at: clock.now().toISOString() },
        ]);
        return { result: planned.result, replayed: false };
      } catch (error) {
        if (error instanceof OperationAlreadyAppliedError) {
          const replayed = await replay(error);
          if (replayed) return replayed;
        }
        throw error;
      }
    },
    { maxAttempts: options.maxAttempts ?? 200, ...CONFLICT_BACKOFF, retryable: isConflict, sleep: options.sleep ?? realSleep },
  );
}

/** Re-plans on version conflicts only (operations protected by versions, not by a key). */
export async function withRetry<T>(run: () => Promise<T>, options: { maxAttempts?: number; sleep?: Sleep } = {}): Promise<T> {
  return retry(run, { maxAttempts: options.maxAttempts ?? 50, ...CONFLICT_BACKOFF, retryable: isConflict, sleep: options.sleep ?? realSleep });
}

/** The customer's state for a read-decide-write operation; 404 when there is no such customer. */
export async function loadCustomerState(customers: CustomerRepository, customerId: string): Promise<CustomerState> {
  const state = await customers.getState(customerId);
  if (!state) throw new NotFoundError('Customer', customerId);
  return state;
}
