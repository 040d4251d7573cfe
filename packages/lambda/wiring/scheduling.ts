import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { LambdaDispatchTrigger, type SchedulerTarget } from '../../aws/index.ts';

/** The environment of a function that creates one-time schedules (bindSchedules in the stack). */
export const schedulerEnv = z.object({
  SCHEDULE_GROUP: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().min(1),
  SCHEDULER_DLQ_ARN: z.string().min(1).optional(),
});

/** Where a function's one-time schedules live and what they run as; `functionArn` is what they invoke. */
export function schedulerTargetFromEnv(config: z.infer<typeof schedulerEnv>, functionArn: string): SchedulerTarget {
  return {
    groupName: config.SCHEDULE_GROUP,
    functionArn,
    roleArn: config.SCHEDULER_ROLE_ARN,
    ...(config.SCHEDULER_DLQ_ARN && { deadLetterArn: config.SCHEDULER_DLQ_ARN }),
  };
}

/** A function that starts dispatches: the dispatcher's name (bindInvoke in the stack). */
export const dispatchTriggerEnv = z.object({ DISPATCHER_FUNCTION: z.string().min(1) });

export function dispatchTriggerFromEnv(config: z.infer<typeof dispatchTriggerEnv>, lambda = new LambdaClient({})): LambdaDispatchTrigger {
  return new LambdaDispatchTrigger(lambda, config.DISPATCHER_FUNCTION);
}

/** Schedules that invoke the dispatcher (scheduled messages, quiet-hours releases). */
export const dispatcherScheduleEnv = schedulerEnv.extend({ DISPATCHER_ARN: z.string().min(1) });
