import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeMessageScheduler, EventBridgeReminderScheduler, EventBridgeSurveyScheduler, LambdaDispatchTrigger, SqsDeliveryQueue } from '../../../packages/aws/index.ts';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const scheduler = mockClient(SchedulerClient);
afterEach(() => {
  sqs.reset();
  lambda.reset();
  scheduler.reset();
});

const batch = (i: number) => ({ messageId: 'M', batchId: `0-${i}`, customerIds: [`C${i}`], productCode: 'IPO', smsType: 'Promotional' as const, text: 'x' });

describe('SqsDeliveryQueue', () => {
  it('sends recipient batches ten per SendMessageBatch and resends the entries SQS reports failed', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce({ Successful: [], Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] }).resolves({ Successful: [], Failed: [] });
    await new SqsDeliveryQueue(new SQSClient({ region: 'cn-north-1' }), 'https://sqs/q').enqueue(Array.from({ length: 12 }, (_, i) => batch(i)));
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).batchId));
    expect(calls).toEqual([
      ['0-0', '0-1', '0-2', '0-3', '0-4', '0-5', '0-6', '0-7', '0-8', '0-9'],
      ['0-3'],
      ['0-10', '0-11'],
    ]);
  });
});

describe('LambdaDispatchTrigger', () => {
  it('invokes the dispatcher asynchronously with the message id', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaDispatchTrigger(new LambdaClient({ region: 'cn-north-1' }), 'dispatcher-fn').dispatch('M1');
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'dispatcher-fn', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({ messageId: 'M1' });
  });
});

describe('EventBridgeMessageScheduler', () => {
  const target = { groupName: 'g', functionArn: 'arn:fn', roleArn: 'arn:role', deadLetterArn: 'arn:dlq' };
  it('creates a one-time UTC schedule that deletes itself after running', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    await new EventBridgeMessageScheduler(new SchedulerClient({ region: 'cn-north-1' }), target).scheduleDispatch('M1', new Date('2026-12-01T08:45:00+08:00'));
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toEqual({
      Name: 'message-M1',
      GroupName: 'g',
      ScheduleExpression: 'at(2026-12-01T00:45:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:fn', RoleArn: 'arn:role', Input: '{"messageId":"M1"}', RetryPolicy: { MaximumRetryAttempts: 3 }, DeadLetterConfig: { Arn: 'arn:dlq' } },
    });
  });

  it('creates one quiet-hours release schedule per message and instant; a second batch asking for it is not an error', async () => {
    scheduler.on(CreateScheduleCommand).resolvesOnce({ ScheduleArn: 'arn:s' }).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const adapter = new EventBridgeMessageScheduler(new SchedulerClient({ region: 'cn-north-1' }), target);
    const at = new Date('2026-11-26T00:00:00.000Z');
    await adapter.scheduleRelease('01KMSG0000000000000000000A', at);
    await expect(adapter.scheduleRelease('01KMSG0000000000000000000A', at)).resolves.toBeUndefined();
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Name: 'release-01KMSG0000000000000000000A-20261126T0000', ScheduleExpression: 'at(2026-11-26T00:00:00)', ActionAfterCompletion: 'DELETE' });
    expect(input.Name!.length).toBeLessThanOrEqual(64);
    expect(JSON.parse(input.Target!.Input!)).toEqual({ messageId: '01KMSG0000000000000000000A', releaseAt: '2026-11-26T00:00:00.000Z' });
  });

  it('deletes the schedule, and treats one already gone as deleted', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(new EventBridgeMessageScheduler(new SchedulerClient({ region: 'cn-north-1' }), target).cancelDispatch('M1')).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]!.args[0].input).toEqual({ Name: 'message-M1', GroupName: 'g' });
  });
});

describe('EventBridgeReminderScheduler', () => {
  const target = { groupName: 'g', functionArn: 'arn:ipo-fn', roleArn: 'arn:role' };
  const reminder = { ipoId: 'IPO-1', day: 'subscription' as const, date: '2027-03-01', stockCode: '688001', stockName: '示例芯片' };

  it('creates the reminder schedule, and replaces it in place when it exists (a re-sent or updated IPO)', async () => {
    scheduler.on(CreateScheduleCommand).resolvesOnce({ ScheduleArn: 'arn:s' }).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    const adapter = new EventBridgeReminderScheduler(new SchedulerClient({ region: 'cn-north-1' }), target);
    await adapter.upsertReminder('ipo-X', new Date('2027-03-01T00:30:00Z'), reminder);
    await adapter.upsertReminder('ipo-X', new Date('2027-03-02T00:30:00Z'), { ...reminder, date: '2027-03-02' });
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject({
      Name: 'ipo-X',
      ScheduleExpression: 'at(2027-03-01T00:30:00)',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:ipo-fn', RoleArn: 'arn:role', Input: JSON.stringify({ reminder }) },
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input).toMatchObject({ Name: 'ipo-X', ScheduleExpression: 'at(2027-03-02T00:30:00)' });
  });
});

describe('EventBridgeSurveyScheduler', () => {
  const target = { groupName: 'g', functionArn: 'arn:supervision', roleArn: 'arn:role' };

  it("creates the survey's close once (asked again: not an error), and deletes it, treating one already gone as deleted", async () => {
    scheduler.on(CreateScheduleCommand).resolvesOnce({ ScheduleArn: 'arn:s' }).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(DeleteScheduleCommand).resolvesOnce({}).rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    const adapter = new EventBridgeSurveyScheduler(new SchedulerClient({ region: 'cn-north-1' }), target);
    await adapter.scheduleClose('S1', new Date('2026-12-04T02:00:00Z'));
    await adapter.scheduleClose('S1', new Date('2026-12-04T02:00:00Z'));
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject({ Name: 'survey-S1', GroupName: 'g', ScheduleExpression: 'at(2026-12-04T02:00:00)', ActionAfterCompletion: 'DELETE' });
    await adapter.cancelClose('S1');
    await expect(adapter.cancelClose('S1')).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'survey-S1', GroupName: 'g' },
      { Name: 'survey-S1', GroupName: 'g' },
    ]);
  });
});
