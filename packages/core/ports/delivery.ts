import type { IpoReminder } from '../ipo.ts';
import type { RecipientBatch } from '../message.ts';

export interface OutboundSms {
  /** E.164 number. */
  to: string;
  body: string;
  smsType: 'Transactional' | 'Promotional';
}

/** Sends one SMS to one number: SNS Publish in AWS, the outbox in the local runtime. */
export interface SmsSender {
  send(sms: OutboundSms): Promise<{ messageId: string }>;
}

/**
 * The account's SMS messages-per-second budget, shared by every concurrent sender. `reserve(n)`
 * books the next n send slots (1/perSecond apart) and returns when the first one starts.
 */
export interface SendBudget {
  readonly perSecond: number;
  reserve(count: number): Promise<number>;
}

/** Hands recipient batches to the senders: SQS in AWS, an in-process queue locally. */
export interface DeliveryQueue {
  enqueue(batches: RecipientBatch[]): Promise<void>;
}

/** Starts the dispatch of a message elsewhere (async Lambda invoke in AWS, in-process locally). */
export interface DispatchTrigger {
  dispatch(messageId: string): Promise<void>;
}

/** What a dispatcher invocation is asked to do: a message's audience, or the recipients quiet hours held until `releaseAt`. */
export interface DispatchRequest {
  messageId: string;
  releaseAt?: string;
}

/** One-time schedules that start a message's dispatch later (EventBridge Scheduler in AWS). */
export interface DispatchScheduler {
  /** Creates (or replaces) the schedule that dispatches `messageId` at `at`. */
  scheduleDispatch(messageId: string, at: Date): Promise<void>;
  /** Removes it; removing a schedule that is gone already is not an error. */
  cancelDispatch(messageId: string): Promise<void>;
}

/** One-time schedules that dispatch the recipients quiet hours held back, when they end. */
export interface ReleaseScheduler {
  /**
   * Ensures one schedule dispatches the recipients of `messageId` held until `at` (many batches
   * ask for the same one: asking again is not an error).
   */
  scheduleRelease(messageId: string, at: Date): Promise<void>;
}

/** One-time schedules of IPO reminders (EventBridge Scheduler in AWS): create-or-replace and delete by name. */
export interface ReminderScheduler {
  upsertReminder(name: string, at: Date, reminder: IpoReminder): Promise<void>;
  /** Deleting a schedule that is gone already is not an error. */
  deleteReminder(name: string): Promise<void>;
}

/** The one-time schedule that closes a survey at the end of its window (EventBridge Scheduler in AWS). */
export interface SurveyScheduler {
  scheduleClose(surveyId: string, at: Date): Promise<void>;
  /** Removes the close of a survey that was never stored (its creation failed); none: nothing. */
  cancelClose(surveyId: string): Promise<void>;
}
