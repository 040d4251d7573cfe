/**
 * `npm start`: runs the whole platform on this machine. PORT (default 3000), HOST (the address
 * the API listens on; default 127.0.0.1, this machine only), LOCAL_DATA_DIR (keep DynamoDB data
 * between runs; default in memory) and LOCAL_SMS_MPS (the SMS quota of the SNS stand-in; default
 * unlimited) configure it; platform settings (SMS_MPS_BUDGET, QUIET_HOURS, ...) are read from
 * the environment as the Lambdas read theirs. `npm start -- --demo` loads the demo data (demo.ts) once it runs.
 */

// These defaults are set before anything else is imported: the Powertools logger reads
// POWERTOOLS_LOG_LEVEL when its module is evaluated, and the platform's modules create it.
// Node 20 is supported here until the SDK drops it; Lambda runs Node 22. Don't alarm local users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A local run logs warnings and errors; POWERTOOLS_LOG_LEVEL=INFO (or DEBUG) shows the rest.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// Metric lines (Embedded Metric Format) are for CloudWatch; locally they would only fill the terminal.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main(): Promise<void> {
  // The console builds while DynamoDB Local starts.
  void (await import('./console-site.ts')).prepareConsole().catch((error: unknown) => console.error('The console could not be built:', error));
  const { startLocalPlatform } = await import('./platform.ts');
  const { ROLES, localParts, parseQuietHours, quietHoursRelease } = await import('../core/index.ts');
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST || '127.0.0.1';
  const dataDir = process.env.LOCAL_DATA_DIR;
  // LOCAL_SMS_MPS: the SMS quota the SNS stand-in enforces (throttling above it), like an account's.
  const quota = process.env.LOCAL_SMS_MPS ? Number(process.env.LOCAL_SMS_MPS) : undefined;
  if (quota !== undefined && !(quota > 0)) throw new Error('LOCAL_SMS_MPS must be a positive number of messages per second');
  const platform = await startLocalPlatform({ port, host, ...(dataDir && { dataDir }), ...(quota && { smsQuotaPerSecond: quota }) });
  const { url } = platform;
  console.log(
    [
      `SMS platform running at ${url}${host === '0.0.0.0' || host === '::' ? ` (listening on ${host}: every interface)` : ''}`,
      `  DynamoDB Local  ${platform.dynamoEndpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'}), table ${platform.tableName}`,
      `  Dev token       curl '${url}/local/dev-token?role=admin'   (roles: ${ROLES.join(', ')})`,
      `  Try             curl -H "Authorization: Bearer $TOKEN" ${url}/admin/products`,
      `  OpenAPI         ${url}/openapi.json`,
      `  SMS outbox      ${url}/local/sms/outbox`,
      `  Clock           ${url}/local/clock (POST /local/scheduler/tick { now } moves it ahead for the whole platform)`,
      quietHoursLine(),
      `  Console         ${url}/console/`,
      `  Demo data       ${process.argv.slice(2).includes('--demo') ? 'loading (--demo)' : 'npm run demo (or npm start -- --demo) loads a small data set'}`,
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  // npm start -- --demo: the demo data, through the HTTP API like any client (a failure leaves the platform running).
  if (process.argv.slice(2).includes('--demo')) {
    const { loadDemo } = await import('./demo.ts');
    await loadDemo(url, (line) => console.log(line)).catch((error: unknown) => console.error('The demo data could not be loaded:', error instanceof Error ? error.message : error));
  }
  /** Whether quiet hours hold promotional broadcasts right now in the default zone, and how to turn them off. */
  function quietHoursLine(): string {
    const text = process.env.QUIET_HOURS ?? '21:00-08:00';
    const quiet = parseQuietHours(text);
    const zone = process.env.DEFAULT_TIMEZONE ?? 'Asia/Shanghai';
    if (!quiet || quiet.start === quiet.end) return `  Quiet hours     off (QUIET_HOURS=${text})`;
    const until = quietHoursRelease(new Date(), zone, quiet);
    if (!until) return `  Quiet hours     ${text} in ${zone}: not now (QUIET_HOURS=00:00-00:00 npm start turns them off)`;
    const local = localParts(until, zone);
    const hhmm = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    return `  Quiet hours     ${text} in ${zone}: IN FORCE NOW, promotional broadcasts are held until ${hhmm} (${until.toISOString()}); QUIET_HOURS=00:00-00:00 npm start turns them off`;
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // By name: dynamodb-local.ts is imported with the platform, after the defaults above.
  if (error instanceof Error && error.name === 'JavaMissingError') {
    console.error(error.message);
  } else {
    console.error('The local platform could not start:', error);
  }
  process.exit(1);
});
