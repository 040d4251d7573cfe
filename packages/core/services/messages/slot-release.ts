import { ConcurrentModificationError, ValidationError } from '../../errors.ts';
import type { DispatchTrigger } from '../../ports/delivery.ts';
import type { MessageRepository, UnitOfWork } from '../../ports/repositories.ts';
import { localDate } from '../../time.ts';

export interface SlotReleaseDeps {
  messages: MessageRepository;
  unitOfWork: UnitOfWork;
  trigger: DispatchTrigger;
  config: {
    /** Recurring product slots, with the time zone their days are counted in. */
    slots: Array<{ name: string; timezone: string }>;
    /** Non-trading days (`YYYY-MM-DD` in the slot's zone): a slot that falls on one sends nothing, its queue waits. */
    tradingHolidays: string[];
  };
}

/**
 * A product slot's schedule fired: every message queued for it starts sending, unless the
 * slot's day is a non-trading day (then they wait for the next occurrence).
 */
export function createSlotRelease({ messages, unitOfWork, trigger, config }: SlotReleaseDeps) {
  async function releaseSlot(slot: string, scheduledTime: Date): Promise<{ slot: string; day: string; holiday: boolean; released: string[] }> {
    const definition = config.slots.find((s) => s.name === slot);
    if (!definition) throw new ValidationError('Unknown slot', [{ field: 'slot', message: `no slot ${slot} is configured` }]);
    const day = localDate(scheduledTime, definition.timezone);
    if (config.tradingHolidays.includes(day)) return { slot, day, holiday: true, released: [] };
    const released = [];
    for (const message of await messages.listQueued(slot)) {
      try {
        await unitOfWork.commit([{ kind: 'message', message: { ...message, status: 'sending', version: message.version + 1 }, expectedVersion: message.version }]);
      } catch (error) {
        // Cancelled (or released by a concurrent run) in between: not ours to send.
        if (error instanceof ConcurrentModificationError) continue;
        throw error;
      }
      await trigger.dispatch(message.messageId);
      released.push(message.messageId);
    }
    return { slot, day, holiday: false, released };
  }
  return { releaseSlot };
}

export type SlotRelease = ReturnType<typeof createSlotRelease>;
