import { DEFAULT_QUIET_HOURS, SEND_STATE_MAX_AGE_MS, deliveryBlock, quietHoursRelease, type QuietHours } from '../../delivery-rules.ts';
import type { BatchOutcome, MessageSkipReason, RecipientBatch } from '../../message.ts';
import type { ReleaseScheduler, SmsSender } from '../../ports/delivery.ts';
import type { DailyCapRepository, DeliveryRepository, RecipientRepository, SendState, SmsLogRepository, SurveyRepository } from '../../ports/repositories.ts';
import type { SentSms } from '../../receipts.ts';
import type { Clock, IdGenerator } from '../../ports/system.ts';
import { sleep as realSleep, type Sleep } from '../../retry.ts';
import { localDate } from '../../time.ts';
import { BROADCAST_RETRIES, RetryingSmsSender } from '../retrying-sms-sender.ts';
import type { ChunkPace, Pacer, StateRead } from './pacer.ts';

export interface BatchSenderDeps {
  deliveries: DeliveryRepository;
  /** Where each SMS is recorded under its SNS MessageId, so that its receipt finds it. */
  smsLog: SmsLogRepository;
  surveys: SurveyRepository;
  recipients: RecipientRepository;
  dailyCaps: DailyCapRepository;
  releases: ReleaseScheduler;
  /** The SMS channel; throttling is retried here (BROADCAST_RETRIES), each attempt at a slot of its own. */
  sender: SmsSender;
  pacer: Pacer;
  clock: Clock;
  ids: IdGenerator;
  config: {
    quietHours?: QuietHours;
    defaultTimezone?: string;
    /** Promotional SMS per client per local day; no cap when absent. */
    dailyPromotionalCap?: number;
    /** Publishes in flight per chunk. */
    publishConcurrency?: number;
  };
  sleep?: Sleep;
  /** Real elapsed time (ms) for send slots and the opt-out fence; Date.now unless a test replaces it. */
  realTime?: () => number;
}

/** A claimed recipient that may be sent to now (subject to the state read just before). */
interface Ready {
  customerId: string;
  phone: string;
  /** The client's local date, for the daily cap. */
  day: string;
}

type SendResult = 'sent' | 'failed' | MessageSkipReason;
/** One recipient's result, with the SNS MessageId of an SMS SNS accepted. */
interface Sent {
  result: SendResult;
  smsId?: string;
}

/**
 * The batch sender. Each recipient is claimed once per message (by whichever attempt gets there
 * first: a redelivered or concurrently processed batch claims nothing twice) and the attempt
 * that claimed it counts it as exactly one of sent, failed, skipped (with a reason) or deferred
 * (quiet hours; its release claims it once more and moves it out of deferred).
 */
export function createBatchSender(deps: BatchSenderDeps) {
  const { deliveries, smsLog, surveys, recipients, dailyCaps, releases, pacer, clock, ids, config } = deps;
  const sleep = deps.sleep ?? realSleep;
  const realTime = deps.realTime ?? Date.now;
  const sms = new RetryingSmsSender(deps.sender, BROADCAST_RETRIES, sleep);
  const quietHours = config.quietHours ?? DEFAULT_QUIET_HOURS;
  const defaultTimezone = config.defaultTimezone ?? 'Asia/Shanghai';
  const dailyCap = config.dailyPromotionalCap;
  const publishConcurrency = config.publishConcurrency ?? 16;

  async function sendBatch(batch: RecipientBatch): Promise<BatchOutcome> {
    const claimed = await deliveries.claim(batch.messageId, batch.customerIds, { stage: batch.releaseAt ? 'release' : 'send', at: clock.now().toISOString() });
    if (claimed.length === 0) return { sent: 0, failed: 0, skipped: {}, deferred: 0 };
    // A release is evaluated at its release instant (the local scheduler's clock may be ahead of real time).
    const at = new Date(Math.max(clock.now().getTime(), batch.releaseAt ? Date.parse(batch.releaseAt) : 0));
    const promotional = batch.smsType === 'Promotional';
    const skipped: MessageSkipReason[] = [];

    const held = new Map<string, string[]>();
    const ready: Ready[] = [];
    for (const profile of await recipients.profiles(claimed)) {
      if (!profile.phone) {
        skipped.push('not-subscribed');
        continue;
      }
      const timezone = profile.timezone ?? defaultTimezone;
      // Quiet hours hold promotional messages back (never drop them); a release is not held again.
      const release = promotional && !batch.releaseAt ? quietHoursRelease(at, timezone, quietHours) : undefined;
      if (release) held.set(release.toISOString(), [...(held.get(release.toISOString()) ?? []), profile.customerId]);
      else ready.push({ customerId: profile.customerId, phone: profile.phone, day: localDate(at, timezone) });
    }

    // The daily cap is counted before sending and given back for whoever then gets nothing.
    let counted = ready;
    if (promotional && dailyCap !== undefined && ready.length) {
      const granted = new Set(await dailyCaps.reserve(ready.map(({ customerId, day }) => ({ customerId, day })), dailyCap));
      counted = ready.filter((r) => granted.has(r.customerId));
      for (let i = counted.length; i < ready.length; i++) skipped.push('capped');
    }
    const results: Sent[] = [];
    if (counted.length) {
      // One booking of send slots for the batch (one request), used chunk after chunk.
      const slots = await pacer.book(counted.length);
      for (let i = 0; i < counted.length; i += pacer.chunkSize) {
        const chunk = counted.slice(i, i + pacer.chunkSize);
        results.push(...(await sendChunk(batch, chunk, at, slots(i, chunk.length))));
      }
    }

    const recordId = `${batch.batchId}#${ids.next()}`;
    let deferred = batch.releaseAt ? -claimed.length : 0;
    for (const [releaseAt, customerIds] of held) {
      await deliveries.recordDeferred(batch.messageId, releaseAt, recordId, customerIds);
      await releases.scheduleRelease(batch.messageId, new Date(releaseAt));
      deferred += customerIds.length;
    }
    const outcome = tally([...skipped, ...results.map((r) => r.result)], deferred);
    const unsent = counted.filter((_, i) => results[i]!.result !== 'sent');
    // Every SMS SNS accepted (and every one it did not), in batched writes: its receipt will find it.
    const sentAt = clock.now().toISOString();
    const smsKind = batch.kind === 'reminder' ? 'reminder' : 'broadcast';
    await smsLog.record(
      counted.flatMap((r, i): SentSms[] => {
        const { result, smsId } = results[i]!;
        if (result !== 'sent' && result !== 'failed') return [];
        return [{ smsId: smsId ?? `F${ids.next()}`, kind: smsKind, messageId: batch.messageId, productCode: batch.productCode, customerId: r.customerId, phone: r.phone, status: result, sentAt }];
      }),
    );
    // A survey's question: each number that got it remembers the survey, so that its score finds it.
    const { survey } = batch;
    if (survey) {
      const got = counted.filter((_, i) => results[i]!.result === 'sent');
      await surveys.recordInvitations(got.map((r) => ({ phone: r.phone, surveyId: survey.surveyId, productCode: batch.productCode, customerId: r.customerId, sentAt, closesAt: survey.closesAt })));
    }
    const giveBackCap = promotional && dailyCap !== undefined ? unsent.map(({ customerId, day }) => ({ customerId, day })) : [];
    await deliveries.recordOutcome(batch.messageId, recordId, outcome, { at: clock.now().toISOString(), giveBackCap });
    return outcome;
  }

  /**
   * Sends a few recipients at their slots: reads their opt-out and subscription state just ahead
   * of the first slot and publishes within SEND_STATE_MAX_AGE_MS of that read (the opt-out fence;
   * a publish that comes later, e.g. a throttling retry, reads again). Results in chunk order.
   */
  async function sendChunk(batch: RecipientBatch, chunk: Ready[], at: Date, pace: ChunkPace): Promise<Sent[]> {
    await pace.beforeRead();
    const state = await readSendState(batch.productCode, chunk);
    const cleared = async (r: Ready): Promise<MessageSkipReason | undefined> => {
      // Too old for the fence (a throttling retry much later): read the chunk again, once.
      if (realTime() - state.readAt > SEND_STATE_MAX_AGE_MS) await state.refresh();
      const s = state.of(r.customerId);
      return deliveryBlock({ phone: r.phone, optedOut: s?.optedOut ?? false, ...(s?.undeliverable && { undeliverable: true }) }, s?.subscription, at);
    };
    const results = new Array<Sent>(chunk.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < chunk.length; i = next++) {
        const r = chunk[i]!;
        try {
          const sent = await sms.sendGuarded({ to: r.phone, body: batch.text, smsType: batch.smsType }, {
            guard: () => cleared(r),
            ...(pace.next && { pace: () => pace.next!(state) }),
          });
          results[i] = sent.outcome === 'sent' ? { result: 'sent', smsId: sent.messageId } : { result: sent.reason };
        } catch {
          // Rejected, throttled after the last attempt, or the channel failed: never accepted.
          results[i] = { result: 'failed' };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(publishConcurrency, chunk.length) }, worker));
    return results;
  }

  /** The chunk's send state, read once and read again (once at a time) when the fence needs it. */
  async function readSendState(productCode: string, chunk: Ready[]): Promise<StateRead & { of(customerId: string): SendState | undefined }> {
    // The fence counts from before the read: whatever it saw was true at least from then on.
    let readAt = realTime();
    let states = await recipients.sendStates(productCode, chunk);
    let refreshing: Promise<void> | undefined;
    return {
      get readAt() {
        return readAt;
      },
      refresh: () =>
        (refreshing ??= recipients.sendStates(productCode, chunk).then((fresh) => {
          states = fresh;
          readAt = realTime();
          refreshing = undefined;
        })),
      of: (customerId) => states.get(customerId),
    };
  }

  return { sendBatch };
}

export type BatchSender = ReturnType<typeof createBatchSender>;

function tally(results: SendResult[], deferred: number): BatchOutcome {
  const outcome: BatchOutcome = { sent: 0, failed: 0, skipped: {}, deferred };
  for (const result of results) {
    if (result === 'sent') outcome.sent++;
    else if (result === 'failed') outcome.failed++;
    else outcome.skipped[result] = (outcome.skipped[result] ?? 0) + 1;
  }
  return outcome;
}
