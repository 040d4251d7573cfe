import { ConflictError, type Actor } from '../packages/core/index.ts';
import { perOperation, runConcurrently, withBenchPlatform } from './harness.ts';

export interface PointsRow {
  scenario: string;
  redemptions: number;
  concurrency: number;
  succeeded: number;
  refused: number;
  wallMs: number;
  opsPerSecond: number;
  requestsPerOp: number;
  byOperation: string;
}

const agent: Actor = { actor: 'bench', role: 'service-agent', channel: 'admin-api' };

/**
 * Concurrent redemptions with points against DynamoDB Local, two ways: spread over many
 * customers (the usual load) and all on one customer (the worst case: every request contends
 * for one balance, so optimistic retries show up as extra requests).
 */
export async function pointsBench(options: { redemptions: number; concurrency: number }): Promise<PointsRow[]> {
  return withBenchPlatform('bench-points', async ({ services, db }) => {
    await services.catalog.createProduct(
      { code: 'TIPS', name: 'tips', kind: 'investment-tips', riskLevel: 'R1', pricing: { periodDays: 30, pointsPrice: 100 } },
      agent,
    );
    const rows: PointsRow[] = [];
    const scenarios = [
      { name: 'spread over 100 customers', customers: 100 },
      { name: 'one customer (hot balance)', customers: 1 },
    ];
    for (const [run, scenario] of scenarios.entries()) {
      const ids = Array.from({ length: scenario.customers }, (_, i) => `B${run}-${i}`);
      const perCustomer = Math.ceil(options.redemptions / scenario.customers);
      for (const [i, id] of ids.entries()) {
        await services.customers.putCustomer(id, { phone: `+86138${String((run + 1) * 1000 + i).padStart(8, '0')}`, assetsFen: 0, riskTolerance: 'C3' }, agent);
        // Enough points for all but the last tenth of the redemptions: the refusals are measured too.
        await services.points.adjust(id, { delta: Math.floor(perCustomer * 0.9) * 100, reason: 'bench' }, `fund-${id}`, agent);
      }
      db.reset();
      let succeeded = 0;
      let refused = 0;
      const wallMs = await runConcurrently(options.redemptions, options.concurrency, async (n) => {
        try {
          await services.points.redeemWithPoints(ids[n % ids.length]!, 'TIPS', `bench-${run}-${n}`, agent);
          succeeded++;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          refused++;
        }
      });
      rows.push({
        scenario: scenario.name,
        redemptions: options.redemptions,
        concurrency: options.concurrency,
        succeeded,
        refused,
        wallMs: Math.round(wallMs),
        opsPerSecond: Math.round((options.redemptions / wallMs) * 1000),
        requestsPerOp: Math.round((db.total() / options.redemptions) * 100) / 100,
        byOperation: perOperation(db.counts, options.redemptions),
      });
    }
    return rows;
  });
}
