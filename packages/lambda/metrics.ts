/**
 * One CloudWatch metric as an Embedded Metric Format log line: CloudWatch Logs turns it into the
 * metric (namespace SmsPlatform, by function), with no client and no request at run time.
 * Nothing is printed when POWERTOOLS_METRICS_DISABLED is `true`.
 */
export function emitCount(name: string, count = 1, dimensions: Record<string, string> = {}): void {
  // Powertools' switch: `npm start` sets it (no CloudWatch there to read the lines).
  if (process.env.POWERTOOLS_METRICS_DISABLED === 'true') return;
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-platform';
  const all = { service, ...dimensions };
  console.log(
    JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'SmsPlatform', Dimensions: [Object.keys(all)], Metrics: [{ Name: name, Unit: 'Count' }] }] },
      ...all,
      [name]: count,
    }),
  );
}
