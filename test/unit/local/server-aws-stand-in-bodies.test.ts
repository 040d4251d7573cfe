import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOT_JSON, OVERSIZE_JSON, WRONG_TYPES, startStubServer, type StubServer } from './stub-local-server.ts';

let server: StubServer;
beforeAll(async () => {
  server = await startStubServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  vi.clearAllMocks();
});

const UNREADABLE = [NOT_JSON, ...WRONG_TYPES];

describe('SQS SendMessageBatch stand-in (POST /local/aws/sqs)', () => {
  const send = (body: string) =>
    server.post('/local/aws/sqs', body, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' });
  const expectSqsError = async (body: string, status: number, type: string) => {
    const res = await send(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.json()).toMatchObject({ __type: type, message: expect.any(String) });
    expect(server.reached()).toEqual([]);
  };

  it.each([...UNREADABLE, ''])('answers the body %j with a 400 SerializationException and queues nothing', async (body) => {
    await expectSqsError(body, 400, 'com.amazon.coral.service#SerializationException');
  });

  it.each([
    '{}',
    '{"QueueUrl":"http://local/000000000000/delivery"}',
    '{"QueueUrl":"http://local/000000000000/delivery","Entries":[{"Id":"1"}]}',
    '{"QueueUrl":42,"Entries":[]}',
  ])('answers the request %s (a member missing or of the wrong type) with a 400 InvalidParameterValue and queues nothing', async (body) => {
    await expectSqsError(body, 400, 'com.amazonaws.sqs#InvalidParameterValue');
  });

  it('answers a body just over 1,000,000 bytes with a 413 BatchRequestTooLong and queues nothing', async () => {
    await expectSqsError(OVERSIZE_JSON, 413, 'com.amazonaws.sqs#BatchRequestTooLong');
  });
});

describe('EventBridge Scheduler stand-in (POST and PUT /local/aws/scheduler/schedules/{name})', () => {
  const expectValidationException = async (method: 'POST' | 'PUT', body: string, status = 400) => {
    const res = await fetch(`${server.url}/local/aws/scheduler/schedules/s1`, { method, body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(await res.json()).toMatchObject({ Message: expect.any(String) });
    expect(server.reached()).toEqual([]);
  };

  it.each([...UNREADABLE, ''])('answers CreateSchedule with the body %j with a 400 ValidationException and schedules nothing', async (body) => {
    await expectValidationException('POST', body);
  });

  it('answers UpdateSchedule with a body that is not JSON with a 400 ValidationException and schedules nothing', async () => {
    await expectValidationException('PUT', NOT_JSON);
  });

  it.each([
    '{"ScheduleExpression":"at(2026-12-01T00:00:00)"}',
    '{"ScheduleExpression":"at(2026-12-01T00:00:00)","Target":"dispatcher"}',
    '{"ScheduleExpression":42,"Target":{"Arn":"arn:aws:lambda:local:000000000000:function:dispatcher"}}',
    '{"ScheduleExpression":"at(2026-12-01T00:00:00)","Target":{"Arn":"arn:aws:lambda:local:000000000000:function:dispatcher","Input":"{not json"}}',
  ])('answers CreateSchedule %s (a member missing, of the wrong type, or an Input that is not JSON) with a 400 ValidationException', async (body) => {
    await expectValidationException('POST', body);
  });

  it('answers a body just over 1,000,000 bytes with a 413 ValidationException and schedules nothing', async () => {
    await expectValidationException('POST', OVERSIZE_JSON, 413);
  });
});

describe('Lambda Invoke stand-in (POST /local/aws/lambda/2015-03-31/functions/{name}/invocations)', () => {
  const expectLambdaError = async (body: string, status: number, type: string) => {
    const res = await server.post('/local/aws/lambda/2015-03-31/functions/dispatcher/invocations', body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe(type);
    expect(res.json()).toMatchObject({ Type: 'User', message: expect.any(String) });
    expect(server.reached()).toEqual([]);
  };

  it.each(UNREADABLE)('answers the payload %j with a 400 InvalidRequestContentException without running the function', async (body) => {
    await expectLambdaError(body, 400, 'InvalidRequestContentException');
  });

  it('answers a payload just over 1,000,000 bytes with a 413 RequestTooLargeException without running the function', async () => {
    await expectLambdaError(OVERSIZE_JSON, 413, 'RequestTooLargeException');
  });
});

describe('SNS Publish stand-in (POST /local/aws/sns)', () => {
  const expectSnsError = async (body: string, status: number) => {
    const res = await server.post('/local/aws/sns', body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(res.text).toMatch(/^<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidParameter<\/Code>/);
    expect(server.reached()).toEqual([]);
  };

  it.each(['', '{"Action":"Publish","PhoneNumber":"+8613800138000"}'])('answers the body %j (no Publish form) with a 400 InvalidParameter and sends nothing', async (body) => {
    await expectSnsError(body, 400);
  });

  it('answers a Publish just over 1,000,000 bytes with a 413 InvalidParameter and sends nothing', async () => {
    await expectSnsError(`Action=Publish&PhoneNumber=%2B8613800138000&Message=${'x'.repeat(1_000_001)}`, 413);
  });
});

describe('the stub server of these tests', () => {
  it('records a request that the local server does act on (so "reached nothing" means something)', async () => {
    const res = await server.post('/local/aws/lambda/2015-03-31/functions/dispatcher/invocations', '');
    expect(res.status).toBe(202);
    expect(server.deps.lambdaFunctions.dispatcher).toHaveBeenCalledWith({}, expect.objectContaining({ functionName: 'dispatcher' }));
    expect(server.reached()).toEqual(['dispatcher function']);
  });
});
