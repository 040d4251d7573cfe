import { isUndeliverable, withReceipt, type DeliveryReceipt, type SentSms } from '../receipts.ts';
import { ConcurrentModificationError } from '../errors.ts';
import { retry, sleep as realSleep, type Sleep } from '../retry.ts';
import type { Change } from '../ports/changes.ts';
import type { PhoneRepository, ReceiptRepository, SmsLogRepository, UnitOfWork } from '../ports/repositories.ts';
import type { Clock, IdGenerator } from '../ports/system.ts';
import { addHours } from '../time.ts';

export interface ReceiptsDeps {
  smsLog: SmsLogRepository;
  receipts: ReceiptRepository;
  phones: PhoneRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  ids: IdGenerator;
  sleep?: Sleep;
  config: {
    /** How long a receipt may lag its SMS (SNS: up to 72 hours); a parked one older than this names an SMS we never sent. */
    waitHours: number;
  };
}

export interface ReceiptsOutcome {
  applied: number;
  /** Came again (or out of order after the final one): counted once already. */
  duplicates: number;
  /** For an SMS not recorded yet (the receipt came before the sender's record): kept to try again. */
  parked: number;
  /** For an SMS never recorded within the wait: not one of ours (logged and counted, not an error). */
  unknown: number;
}

/**
 * Delivery receipts: each SMS moves from sent to delivered or undelivered once, whatever the order
 * and number of times its receipt comes; counts are written per call, not per receipt; a number
 * whose receipts say invalid-number twice in a row becomes undeliverable.
 */
export function createReceiptService(deps: ReceiptsDeps) {
  const { smsLog, receipts, phones, unitOfWork, clock, ids, config } = deps;

  async function handleReceipts(batch: DeliveryReceipt[]): Promise<ReceiptsOutcome> {
    // One receipt per SMS per call: the first (a second copy in the same payload is a duplicate).
    const byId = new Map<string, DeliveryReceipt>();
    for (const r of batch) if (!byId.has(r.smsId)) byId.set(r.smsId, r);
    const recorded = await smsLog.get([...byId.keys()]);
    const known: Array<{ sms: SentSms; receipt: DeliveryReceipt }> = [];
    const early: DeliveryReceipt[] = [];
    for (const receipt of byId.values()) {
      const sms = recorded.get(receipt.smsId);
      if (sms) known.push({ sms, receipt });
      else early.push(receipt);
    }
    if (early.length) await receipts.park(early, clock.now().toISOString());
    const applied = await apply(known);
    return { applied, duplicates: batch.length - applied - early.length, parked: early.length, unknown: 0 };
  }

  /** Each SMS still `sent` takes its receipt (once); the numbers' deliverability then takes every receipt of a recorded SMS. */
  async function apply(known: Array<{ sms: SentSms; receipt: DeliveryReceipt }>): Promise<number> {
    const fresh = known.filter(({ sms }) => sms.status === 'sent');
    const applied = fresh.length ? (await receipts.apply(fresh, ids.next())).length : 0;
    // Duplicates too: a call that failed after applying its receipts and is tried again still
    // updates the numbers (a receipt counts once per number: the update skips one it already has).
    await retry(() => suppress(known.map(({ sms, receipt }) => ({ phone: sms.phone, receipt }))), {
      maxAttempts: 8,
      baseMs: 20,
      capMs: 500,
      retryable: (error) => error instanceof ConcurrentModificationError,
      sleep: deps.sleep ?? realSleep,
    });
    return applied;
  }

  /** Numbers whose receipts change their deliverability: one conditional write each, only when it changes. */
  async function suppress(outcomes: Array<{ phone: string; receipt: DeliveryReceipt }>): Promise<void> {
    const relevant = outcomes.filter(({ receipt }) => receipt.status === 'delivered' || receipt.reason === 'invalid-number');
    if (!relevant.length) return;
    const states = await phones.getMany([...new Set(relevant.map((o) => o.phone))]);
    const changes = new Map<string, Change & { kind: 'deliverability' }>();
    for (const { phone, receipt } of relevant) {
      const state = states.get(phone);
      const before = changes.get(phone)?.recentReceipts ?? state?.recentReceipts ?? [];
      const recentReceipts = withReceipt(before, receipt);
      if (!recentReceipts) continue;
      changes.set(phone, { kind: 'deliverability', phone, recentReceipts, undeliverable: isUndeliverable(recentReceipts), expectedVersion: state?.receiptsVersion ?? 0 });
    }
    const list = [...changes.values()];
    for (let i = 0; i < list.length; i += 100) await unitOfWork.commit(list.slice(i, i + 100));
  }

  /**
   * Parked receipts, tried again: those whose SMS is recorded by now are applied; those older than
   * the wait name an SMS we never sent, and are dropped (and counted).
   */
  async function retryParked(limit = 500): Promise<ReceiptsOutcome> {
    const parked = await receipts.parked(limit);
    if (!parked.length) return { applied: 0, duplicates: 0, parked: 0, unknown: 0 };
    const recorded = await smsLog.get(parked.map((p) => p.smsId));
    const cutoff = addHours(clock.now(), -config.waitHours).toISOString();
    const known: Array<{ sms: SentSms; receipt: DeliveryReceipt }> = [];
    const done: string[] = [];
    let unknown = 0;
    for (const { parkedAt, ...receipt } of parked) {
      const sms = recorded.get(receipt.smsId);
      if (sms) {
        done.push(receipt.smsId);
        known.push({ sms, receipt });
      } else if (parkedAt < cutoff) {
        done.push(receipt.smsId);
        unknown++;
      }
    }
    const applied = await apply(known);
    await receipts.unpark(done);
    return { applied, duplicates: known.length - applied, parked: parked.length - done.length, unknown };
  }

  return { handleReceipts, retryParked };
}

export type ReceiptService = ReturnType<typeof createReceiptService>;
