import { CreateScheduleCommand, DeleteScheduleCommand, UpdateScheduleCommand, type CreateScheduleCommandInput, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DispatchRequest, DispatchScheduler, IpoReminder, ReleaseScheduler, ReminderScheduler, SurveyScheduler } from '../core/index.ts';

export interface SchedulerTarget {
  /** Schedule group of the stage (no fixed names: several stages share an account). */
  groupName: string;
  /** The function the schedules invoke (the dispatcher with `{ messageId }`, or ipo-reminders with `{ reminder }`). */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it (and to reach the DLQ). */
  roleArn: string;
  deadLetterArn?: string;
}

/**
 * Dispatch and release schedules over EventBridge Scheduler: one one-time `at(...)` schedule per
 * message (or per message and release instant) invoking the dispatcher, deleted after it runs.
 */
export class EventBridgeMessageScheduler implements DispatchScheduler, ReleaseScheduler {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  /** Creates the message's schedule, or moves it to `at` when an edit changed the time. */
  async scheduleDispatch(messageId: string, at: Date): Promise<void> {
    const input = oneTimeSchedule(scheduleName(messageId), at, this.target, { messageId });
    try {
      await this.scheduler.send(new CreateScheduleCommand(input));
    } catch (error) {
      if ((error as Error).name !== 'ConflictException') throw error;
      await this.scheduler.send(new UpdateScheduleCommand(input));
    }
  }

  async scheduleRelease(messageId: string, at: Date): Promise<void> {
    try {
      await this.createAt(releaseScheduleName(messageId, at), at, { messageId, releaseAt: at.toISOString() });
    } catch (error) {
      // Every batch that held recipients until `at` asks for it; the first one made it.
      if ((error as Error).name !== 'ConflictException') throw error;
    }
  }

  private async createAt(name: string, at: Date, input: DispatchRequest): Promise<void> {
    await this.scheduler.send(new CreateScheduleCommand(oneTimeSchedule(name, at, this.target, input)));
  }

  async cancelDispatch(messageId: string): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(messageId), GroupName: this.target.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}

export function scheduleName(messageId: string): string {
  return `message-${messageId}`;
}

/** `release-<messageId>-<yyyymmddThhmm>`: one per message and release instant (names are at most 64 characters). */
export function releaseScheduleName(messageId: string, at: Date): string {
  return `release-${messageId}-${at.toISOString().slice(0, 16).replace(/[-:]/g, '')}`;
}

/**
 * ReminderScheduler over EventBridge Scheduler: one one-time schedule per IPO reminder, targeting
 * the ipo-reminders function (its own ARN, from the invocation), replaced in place when the IPO
 * is announced again.
 */
export class EventBridgeReminderScheduler implements ReminderScheduler {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  async upsertReminder(name: string, at: Date, reminder: IpoReminder): Promise<void> {
    const input = oneTimeSchedule(name, at, this.target, { reminder });
    try {
      await this.scheduler.send(new CreateScheduleCommand(input));
    } catch (error) {
      if ((error as Error).name !== 'ConflictException') throw error;
      await this.scheduler.send(new UpdateScheduleCommand(input));
    }
  }

  async deleteReminder(name: string): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}

/** `survey-<surveyId>`: closes the survey at the end of its window (the supervision function, `{ task: 'close-survey', surveyId }`). */
export function surveyScheduleName(surveyId: string): string {
  return `survey-${surveyId}`;
}

/** SurveyScheduler over EventBridge Scheduler: one one-time schedule per survey. */
export class EventBridgeSurveyScheduler implements SurveyScheduler {
  constructor(
    private readonly scheduler: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  async scheduleClose(surveyId: string, at: Date): Promise<void> {
    try {
      await this.scheduler.send(new CreateScheduleCommand(oneTimeSchedule(surveyScheduleName(surveyId), at, this.target, { task: 'close-survey', surveyId })));
    } catch (error) {
      // Asked again for the same survey (a retried request): its schedule exists.
      if ((error as Error).name !== 'ConflictException') throw error;
    }
  }

  async cancelClose(surveyId: string): Promise<void> {
    try {
      await this.scheduler.send(new DeleteScheduleCommand({ Name: surveyScheduleName(surveyId), GroupName: this.target.groupName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
  }
}

/**
 * A one-time schedule that invokes a function once at `at` and then deletes itself. `at(...)` is
 * written in UTC: the instant asked for, whatever offset it was given with.
 */
function oneTimeSchedule(name: string, at: Date, target: SchedulerTarget, input: unknown): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: target.groupName,
    ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify(input),
      RetryPolicy: { MaximumRetryAttempts: 3 },
      ...(target.deadLetterArn && { DeadLetterConfig: { Arn: target.deadLetterArn } }),
    },
  };
}
