import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CONTENT_RULES,
  budgetPacer,
  createBatchSender,
  createMessageDispatcher,
  createMessagePublisher,
  createMessageReview,
  createPlatformMessagePublisher,
  createSlotRelease,
  createSurveyService,
  createSurveyWindows,
  sleep as realSleep,
  unpacedSending,
  type OutboundSms,
  type RecipientBatch,
  type SendBudget,
  type SmsSender,
} from '../../packages/core/index.ts';
import { ulidGenerator } from '../../packages/lambda/index.ts';
import type { TestServices } from './services.ts';

export interface PipelineOptions {
  sender?: SmsSender;
  budget?: SendBudget;
  dailyCap?: number;
  batchSize?: number;
  realTime?: () => number;
  publishConcurrency?: number;
  holidays?: string[];
  /** Recipients from which a message needs two approvals (default 10,000). */
  twoApproversFrom?: number;
}

/**
 * The four message roles (publisher, dispatcher, batch sender, slot release) on a test table,
 * with in-process stand-ins for the trigger (dispatches at once), the queue (kept until
 * `drain`) and the release schedules (recorded), as the local runtime wires them.
 */
export function messagePipeline(p: TestServices, options: PipelineOptions = {}) {
  const queued: RecipientBatch[] = [];
  const releases: Array<{ messageId: string; at: string }> = [];
  const sent: Array<OutboundSms & { at: number }> = [];
  const sender = options.sender ?? { send: async (sms: OutboundSms) => (sent.push({ ...sms, at: Date.now() }), { messageId: randomUUID() }) };
  const system = { clock: p.clock, ids: ulidGenerator };
  const text = { signature: '【XX证券】' };
  const slots = [{ name: 'morning', timezone: 'Asia/Shanghai' }];
  // Without a budget nothing needs real waiting: retries back off instantly.
  const sleep = options.budget ? realSleep : async () => undefined;
  const realTime = options.realTime ?? Date.now;
  const dispatcher = createMessageDispatcher({ ...p.repos, queue: { enqueue: async (batches) => void queued.push(...batches) }, config: { text, ...(options.batchSize && { batchSize: options.batchSize }) } });
  const trigger = { dispatch: async (messageId: string) => void (await dispatcher.dispatch(messageId)) };
  const schedules = new Map<string, string>();
  const scheduler = {
    scheduleDispatch: async (messageId: string, at: Date) => void schedules.set(messageId, at.toISOString()),
    cancelDispatch: async (messageId: string) => void schedules.delete(messageId),
  };
  const review = { twoApproversFrom: options.twoApproversFrom ?? 10_000 };
  const publisher = createMessagePublisher({ ...p.repos, ...system, trigger, scheduler, config: { text, slots, review, contentRules: DEFAULT_CONTENT_RULES } });
  const reviews = createMessageReview({ ...p.repos, ...system, trigger, scheduler, config: { text, review }, sleep: async () => undefined });
  const batchSender = createBatchSender({
    ...p.repos,
    ...system,
    sender,
    releases: { scheduleRelease: async (messageId, at) => void releases.push({ messageId, at: at.toISOString() }) },
    pacer: options.budget ? budgetPacer(options.budget, { realTime, sleep }) : unpacedSending,
    config: {
      ...(options.dailyCap !== undefined && { dailyPromotionalCap: options.dailyCap }),
      ...(options.publishConcurrency && { publishConcurrency: options.publishConcurrency }),
    },
    sleep,
    realTime,
  });
  const slotRelease = createSlotRelease({ ...p.repos, trigger, config: { slots, tradingHolidays: options.holidays ?? [] } });
  // Surveys through the same pipeline; their close schedules recorded (fired by the test).
  const surveyCloses = new Map<string, string>();
  const surveys = createSurveyService({
    ...p.repos,
    ...system,
    publisher: createPlatformMessagePublisher({ ...p.repos, ...system, trigger, config: { text, review } }),
    scheduler: {
      scheduleClose: async (surveyId, at) => void surveyCloses.set(surveyId, at.toISOString()),
      cancelClose: async (surveyId) => void surveyCloses.delete(surveyId),
    },
    config: { contentRules: DEFAULT_CONTENT_RULES },
  });
  const surveyWindows = createSurveyWindows({ ...p.repos, ...system });
  const service = { ...publisher, ...dispatcher, ...batchSender, ...slotRelease, ...reviews };
  const drain = async () => {
    while (queued.length) await batchSender.sendBatch(queued.shift()!);
  };
  /** What a schedule firing does: the dispatcher, as EventBridge Scheduler would invoke it. */
  const fire = async (messageId: string) => {
    schedules.delete(messageId);
    await dispatcher.dispatch(messageId);
  };
  return { service, queued, releases, sent, drain, schedules, fire, surveys, surveyCloses, surveyWindows };
}
