import { describe, expect, it } from 'vitest';
import { AUDIENCE_SHARDS, DELIVERY_SHARDS, audienceShard, deliveryShard } from '../../../packages/dynamo/index.ts';

describe('partitions: shards', () => {
  it('spreads the customers of one audience shard (one dispatcher page, one batch) over every delivery partition', () => {
    const perDeliveryShard = new Array<number>(DELIVERY_SHARDS).fill(0);
    const ids = Array.from({ length: 32_000 }, (_, i) => `C${i}`).filter((id) => audienceShard(id) === 3);
    for (const id of ids) perDeliveryShard[deliveryShard(id)]!++;
    const expected = ids.length / DELIVERY_SHARDS;
    for (const n of perDeliveryShard) expect(Math.abs(n - expected) / expected).toBeLessThan(0.3);
  });

  it('spreads customers evenly over the audience shards', () => {
    const perShard = new Array<number>(AUDIENCE_SHARDS).fill(0);
    for (let i = 0; i < 16_000; i++) perShard[audienceShard(`01KCUST${i}`)]!++;
    for (const n of perShard) expect(Math.abs(n - 1000) / 1000).toBeLessThan(0.1);
  });
});
