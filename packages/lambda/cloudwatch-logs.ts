import { gunzipSync } from 'node:zlib';
import { cloudWatchLogsPayloadSchema, smsDeliveryStatusSchema, type SmsDeliveryStatus } from '../../events/index.ts';

export interface DecodedDeliveryLogs {
  records: SmsDeliveryStatus[];
  /** Log events (or a whole payload) that could not be read: logged and counted, never failing the rest. */
  malformed: Array<{ id: string; why: string }>;
}

/** A CloudWatch Logs subscription payload (base64, gzip, JSON) as SNS SMS delivery-status records. */
export function decodeDeliveryLogs(data: string): DecodedDeliveryLogs {
  let payload: unknown;
  try {
    payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8'));
  } catch (error) {
    return { records: [], malformed: [{ id: 'payload', why: `not a gzipped JSON payload: ${(error as Error).message}` }] };
  }
  const parsed = cloudWatchLogsPayloadSchema.safeParse(payload);
  if (!parsed.success) return { records: [], malformed: [{ id: 'payload', why: 'not a CloudWatch Logs subscription payload' }] };
  // CloudWatch Logs checks a new destination with a control message: nothing to read in it.
  if (parsed.data.messageType === 'CONTROL_MESSAGE') return { records: [], malformed: [] };
  const records: SmsDeliveryStatus[] = [];
  const malformed: DecodedDeliveryLogs['malformed'] = [];
  for (const event of parsed.data.logEvents) {
    let json: unknown;
    try {
      json = JSON.parse(event.message);
    } catch {
      malformed.push({ id: event.id, why: 'the log event is not JSON' });
      continue;
    }
    const record = smsDeliveryStatusSchema.safeParse(json);
    if (record.success) records.push(record.data);
    else malformed.push({ id: event.id, why: record.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  }
  return { records, malformed };
}
