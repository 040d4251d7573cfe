import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting HTTP proxy in front of DynamoDB Local: every request the platform's DynamoDB client
 * sends (SDK retries included) is counted by operation, with the write units it asks for (items
 * here are under 1 KB: 1 unit per written item, 2 in a transaction) by partition key and second.
 */
export interface DynamoCounts {
  requests: Record<string, number>;
  writeUnits: number;
  /** Most write units any one partition key was asked for within one wall-clock second. */
  hottestPartition: { key: string; unitsPerSecond: number };
  /** Mean time DynamoDB Local took per request, by operation (ms). */
  latencyMs: Record<string, number>;
}

export async function startDynamoProxy(target: string): Promise<{ endpoint: string; counts: () => DynamoCounts; reset(): void; server: Server }> {
  const upstream = new URL(target);
  let requests: Record<string, number> = {};
  let busyMs: Record<string, number> = {};
  let writeUnits = 0;
  let perPartitionSecond = new Map<string, number>();

  const countWrites = (operation: string, body: string) => {
    const second = Math.floor(Date.now() / 1000);
    const add = (pk: unknown, units: number) => {
      writeUnits += units;
      const key = `${String((pk as { S?: string } | undefined)?.S ?? '?')}@${second}`;
      perPartitionSecond.set(key, (perPartitionSecond.get(key) ?? 0) + units);
    };
    const input = JSON.parse(body) as Record<string, any>;
    switch (operation) {
      case 'PutItem':
        return add(input.Item?.pk, 1);
      case 'UpdateItem':
      case 'DeleteItem':
        return add(input.Key?.pk, 1);
      case 'BatchWriteItem':
        for (const writes of Object.values(input.RequestItems ?? {}) as any[]) for (const w of writes) add((w.PutRequest?.Item ?? w.DeleteRequest?.Key)?.pk, 1);
        return;
      case 'TransactWriteItems':
        for (const t of input.TransactItems ?? []) {
          const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
          add((t.Put ? op.Item : op.Key)?.pk, 2);
        }
        return;
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').at(-1) ?? 'unknown';
      requests[operation] = (requests[operation] ?? 0) + 1;
      countWrites(operation, body.toString('utf8'));
      const started = performance.now();
      res.on('finish', () => (busyMs[operation] = (busyMs[operation] ?? 0) + performance.now() - started));
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    counts: () => {
      let hottest = { key: '', unitsPerSecond: 0 };
      for (const [key, units] of perPartitionSecond) if (units > hottest.unitsPerSecond) hottest = { key: key.split('@')[0]!, unitsPerSecond: units };
      return { requests: { ...requests }, writeUnits, hottestPartition: hottest, latencyMs: Object.fromEntries(Object.entries(busyMs).map(([k, v]) => [k, Math.round(v / (requests[k] ?? 1))])) };
    },
    reset: () => {
      requests = {};
      busyMs = {};
      writeUnits = 0;
      perPartitionSecond = new Map();
    },
  };
}
