import type { EventEnvelope } from '../../events/index.ts';
import { toProblem } from '../lambda/index.ts';

/** An EventBridge rule: the same source/detail-type pattern the CDK stack deploys, and its target. */
export interface LocalRule {
  name: string;
  pattern: { source: string[]; 'detail-type': string[] };
  target(event: EventEnvelope): Promise<void>;
}

/**
 * In-process event bus: routes an event to every rule whose pattern matches, like EventBridge,
 * and resolves once every target has finished (so a caller can read the effects at once).
 */
export class LocalEventBus {
  constructor(private readonly rules: LocalRule[] = []) {}

  addRule(rule: LocalRule): void {
    this.rules.push(rule);
  }

  /**
   * Like PutEvents, the event is accepted whatever its targets do; a target's failure (which in
   * AWS would be retried and end in the DLQ) is reported back instead of thrown.
   */
  async put(event: EventEnvelope): Promise<{ matchedRules: string[]; failures: Array<{ rule: string; error: string }> }> {
    const matched = this.rules.filter(
      (r) => r.pattern.source.includes(event.source) && r.pattern['detail-type'].includes(event['detail-type']),
    );
    const failures: Array<{ rule: string; error: string }> = [];
    for (const rule of matched) {
      try {
        await rule.target(event);
      } catch (error) {
        failures.push({ rule: rule.name, error: describeFailure(error) });
      }
    }
    return { matchedRules: matched.map((r) => r.name), failures };
  }
}

/**
 * A refusal the caller can act on (a 4xx domain error: unknown customer, a rule broken) is
 * reported as it is; anything else only by name: its text (a DynamoDB message, say) goes to the
 * log, never into a response.
 */
function describeFailure(error: unknown): string {
  const problem = toProblem(error);
  if (problem.status < 500 && error instanceof Error) return `${error.name}: ${error.message}`;
  console.error('local event bus: a target failed', error);
  return 'InternalError: the target failed (see the log)';
}
