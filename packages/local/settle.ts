import type { LocalCarrier } from './carrier.ts';
import { allIdle, type LocalQueue } from './queue.ts';

export interface SettleDeps {
  queues: Record<string, LocalQueue>;
  carrier: LocalCarrier;
}

/**
 * Waits until the work a request caused has finished: the queues drained, then the carrier's
 * receipts of every SMS sent processed (receipts send nothing, but the loop does not assume it).
 */
export async function settle(deps: SettleDeps): Promise<void> {
  const queues = Object.values(deps.queues);
  do {
    await allIdle(queues);
    await deps.carrier.flush();
  } while (deps.carrier.hasPending || queues.some((q) => q.busy));
}
