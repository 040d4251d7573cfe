import { ConcurrentModificationError, ConflictError, IdempotencyKeyReuseError, NotFoundError, OperationAlreadyAppliedError } from '../errors.ts';
import type { Change, Clock, CustomerState, Store } from '../ports.ts';

export interface Plan<R> {
  changes: Change[];
  result: R;
}

export interface ApplyOptions {
  store: Store;
  clock: Clock;
  /** What a repeated key with a different request means: an error (API callers) or a no-op (events). */
  onMismatch: 'reject' | 'ignore';
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter, capped at 100 ms: contenders spread out instead of colliding again. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(100, 2 * 2 ** Math.min(attempt, 6));
}

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
  const { store, clock } = options;
  const requestJson = canonicalJson(request);
  const sleep = options.sleep ?? defaultSleep;
  const maxAttempts = options.maxAttempts ?? 200;

  const replay = async (cause?: unknown): Promise<{ result: R | undefined; replayed: boolean } | undefined> => {
    const recorded = await store.getOperation(key);
    if (!recorded) return undefined;
    if (recorded.request !== requestJson && options.onMismatch === 'reject') {
      throw new IdempotencyKeyReuseError(`Idempotency key ${key.split('#').at(-1)} was used with a different request`, { cause });
    }
    return { result: recorded.result as R, replayed: true };
  };

  for (let attempt = 1; ; attempt++) {
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
      await store.commit([
        ...planned.changes,
        { kind: 'operation', key, request: requestJson, result: planned.result, at: clock.now().toISOString() },
      ]);
      return { result: planned.result, replayed: false };
    } catch (error) {
      if (error instanceof OperationAlreadyAppliedError) {
        const replayed = await replay(error);
        if (replayed) return replayed;
        throw error;
      }
      if (error instanceof ConcurrentModificationError && attempt < maxAttempts) {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw error;
    }
  }
}

/** Re-plans on version conflicts only (operations protected by versions, not by a key). */
export async function withRetry<T>(run: () => Promise<T>, options: { maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const maxAttempts = options.maxAttempts ?? 50;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || attempt >= maxAttempts) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}

/** The customer's state for a read-decide-write operation; 404 when there is no such customer. */
export async function loadCustomerState(store: Store, customerId: string): Promise<CustomerState> {
  const state = await store.getCustomerState(customerId);
  if (!state) throw new NotFoundError('Customer', customerId);
  return state;
}
