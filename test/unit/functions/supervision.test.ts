import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const ddb = mockClient(DynamoDBDocumentClient);

let handler: (typeof import('../../../functions/supervision/index.ts'))['handler'];

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'unit-table');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  // What the stack's function construct sets: the metric's `service` dimension the alarm names.
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'supervision');
  ({ handler } = await import('../../../functions/supervision/index.ts'));
});

afterEach(() => {
  ddb.reset();
  vi.restoreAllMocks();
});

/** The EMF lines the handler printed: metric name -> { value, dimensions }. */
function metrics(log: ReturnType<typeof vi.spyOn>): Record<string, { value: number; dimensions: Record<string, string> }> {
  const found: Record<string, { value: number; dimensions: Record<string, string> }> = {};
  for (const [line] of log.mock.calls) {
    if (typeof line !== 'string' || !line.includes('CloudWatchMetrics')) continue;
    const emf = JSON.parse(line) as { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } } & Record<string, unknown>;
    const directive = emf._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('SmsPlatform');
    for (const m of directive.Metrics) found[m.Name] = { value: emf[m.Name] as number, dimensions: Object.fromEntries(directive.Dimensions[0]!.map((d) => [d, String(emf[d])])) };
  }
  return found;
}

describe('supervision handler', () => {
  it('counts open complaints and follow-ups past their due time into the metrics the alarm watches', async () => {
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({ Count: input.ExpressionAttributeValues[':pk'] === 'CASESDUE#complaint' ? 3 : 1, Items: [] }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await handler({ task: 'count-overdue-cases' }, {} as never)).toEqual({ complaint: 3, 'follow-up': 1 });
    expect(metrics(log)).toEqual({
      OverdueComplaints: { value: 3, dimensions: { service: 'supervision' } },
      OverdueFollowUps: { value: 1, dimensions: { service: 'supervision' } },
    });
    // Counted on the sparse due index, below now: no item is read.
    for (const call of ddb.commandCalls(QueryCommand)) expect(call.args[0].input).toMatchObject({ IndexName: 'gsi2', Select: 'COUNT' });
  });

  it('prints no metric line when POWERTOOLS_METRICS_DISABLED is true (npm start sets it)', async () => {
    ddb.on(QueryCommand).resolves({ Count: 2, Items: [] });
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await handler({ task: 'count-overdue-cases' }, {} as never)).toEqual({ complaint: 2, 'follow-up': 2 });
      expect(metrics(log)).toEqual({});
    } finally {
      vi.stubEnv('POWERTOOLS_METRICS_DISABLED', '');
    }
  });

  it('answers a survey close for a survey that does not exist without writing anything', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await handler({ task: 'close-survey', surveyId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }, {} as never)).toEqual({ outcome: 'no-such-survey' });
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetCommand']);
  });

  it('refuses any other input, naming what it expects, before touching the table', async () => {
    await expect(handler({ task: 'close-survey' }, {} as never)).rejects.toThrow(/close-survey.*count-overdue-cases/);
    expect(ddb.calls()).toHaveLength(0);
  });
});
