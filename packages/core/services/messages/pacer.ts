import { SEND_STATE_MAX_AGE_MS } from '../../delivery-rules.ts';
import type { SendBudget } from '../../ports/delivery.ts';
import type { Sleep } from '../../retry.ts';

/** How long before its first slot a chunk reads its recipients' state again after a long wait. */
const READ_AHEAD_MS = 300;
/** A send slot this far in the past is not used: another one is booked. */
const LATE_SLOT_MS = 50;
/** Recipients whose state one read covers (one BatchGetItem of phones and subscriptions). */
const MAX_CHUNK = 50;

/** The state read a chunk's sends rely on: when it was read, and how to read it again. */
export interface StateRead {
  readonly readAt: number;
  refresh(): Promise<void>;
}

/** The send slots of one chunk of a batch. */
export interface ChunkPace {
  /** Waits until just before the chunk's first slot: the chunk reads its recipients' state then. */
  beforeRead(): Promise<void>;
  /** Waits for a send slot of the chunk, for one attempt; undefined when sends are not paced. */
  readonly next?: (state: StateRead) => Promise<void>;
}

/**
 * Paces a batch's sends to the account's messages-per-second budget: the batch books its slots
 * with one request, each chunk sends at its share of them, and what a chunk needs again (a
 * passed slot, a retry) it books again. Unpaced, sends go as fast as the channel takes them.
 */
export interface Pacer {
  /** Recipients per chunk: with a budget, a chunk's slots span at most half the opt-out fence, so one read ahead of them covers them all. */
  readonly chunkSize: number;
  /** Books the slots of `count` sends; the result hands out those of recipients [from, from + n). */
  book(count: number): Promise<(from: number, n: number) => ChunkPace>;
}

export const unpacedSending: Pacer = {
  chunkSize: MAX_CHUNK,
  book: async () => () => ({ beforeRead: async () => undefined }),
};

export function budgetPacer(budget: SendBudget, time: { realTime: () => number; sleep: Sleep }): Pacer {
  const gap = 1000 / budget.perSecond;
  const sleepUntil = async (at: number) => {
    const wait = at - time.realTime();
    if (wait > 0) await time.sleep(wait);
  };
  return {
    chunkSize: Math.max(1, Math.min(MAX_CHUNK, Math.floor((budget.perSecond * SEND_STATE_MAX_AGE_MS * 0.5) / 1000))),
    async book(count) {
      const first = count > 0 ? await budget.reserve(count) : 0;
      return (from, n) => chunkPace(Array.from({ length: n }, (_, j) => first + (from + j) * gap));
    },
  };

  function chunkPace(slots: number[]): ChunkPace {
    // A slot that has passed (the sender fell behind) is never used late, which would overlap the
    // next sender's slots and exceed the budget: the rest of the chunk is booked again, once.
    // A retry beyond the chunk's slots books one more.
    let rebooking: Promise<void> | undefined;
    const rebook = () =>
      (rebooking ??= budget.reserve(slots.length).then((start) => {
        slots.splice(0, slots.length, ...slots.map((_, j) => start + j * gap));
        rebooking = undefined;
      }));
    return {
      beforeRead: async () => {
        if (slots[0] !== undefined) await sleepUntil(slots[0] - READ_AHEAD_MS);
      },
      next: async (state) => {
        for (;;) {
          if (rebooking) await rebooking;
          const next = slots[0];
          if (next !== undefined && time.realTime() - next > LATE_SLOT_MS) {
            await rebook();
            continue;
          }
          const mine = slots.shift() ?? (await budget.reserve(1));
          if (mine + LATE_SLOT_MS - state.readAt > SEND_STATE_MAX_AGE_MS) {
            // The read would be too old at this slot: read again just ahead of it, not after it.
            await sleepUntil(mine - READ_AHEAD_MS);
            await state.refresh();
          }
          await sleepUntil(mine);
          // Woken late (a stalled event loop, a slow read): the slot is gone; take another.
          if (time.realTime() - mine <= LATE_SLOT_MS) return;
        }
      },
    };
  }
}
