import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendBudget } from '../core/index.ts';

export const SEND_BUDGET = 'SendBudget';

export const sendBudgetKeys = {
  /** The shared SMS send budget (next free send slot); one small item, updated once per chunk of sends. */
  item: (name: string) => ({ pk: `SENDBUDGET#${name}`, sk: 'SENDBUDGET' }),
};

/**
 * The SMS messages-per-second budget shared by every sender, as one DynamoDB item holding the
 * next free send slot (a GCRA: virtual scheduling). Booking n slots moves it n/perSecond seconds
 * on; a sender then sends at its slots. One conditional update per booking, never a retry loop
 * under steady load; the item takes about perSecond/chunk writes a second (10 at 1,000 MPS).
 */
export class DynamoSendBudget implements SendBudget {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly perSecond: number,
    private readonly name = 'sms',
    private readonly now: () => number = Date.now,
    /**
     * Slots start at least this long after a booking is asked for, so that they are still ahead
     * when the answer arrives: a sender that starts late would overlap the next one's slots.
     */
    private readonly leadMs = 500,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
  }

  /** Whether the last booking found the budget idle: the next one tries that case first (one request either way in a steady state). */
  private idle = true;

  async reserve(count: number): Promise<number> {
    const span = Math.ceil((count * 1000) / this.perSecond);
    for (;;) {
      const now = this.now() + this.leadMs;
      if (this.idle) {
        const start = await this.bookIdle(now, span);
        if (start !== undefined) return start;
        this.idle = false;
      }
      const start = await this.bookBusy(now, span);
      if (start !== undefined) return start;
      this.idle = true;
    }
  }

  /** Busy: the slots follow the last booked ones. Undefined when the budget is idle. */
  private async bookBusy(now: number, span: number): Promise<number | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendBudgetKeys.item(this.name),
          UpdateExpression: 'SET #next = #next + :span',
          ConditionExpression: '#next >= :now',
          ExpressionAttributeNames: { '#next': 'nextSlotAt' },
          ExpressionAttributeValues: { ':span': span, ':now': now },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes!.nextSlotAt) - span;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return undefined;
    }
  }

  /** Idle (the next slot is in the past): start now, no burst of the unused past. Undefined when busy. */
  private async bookIdle(now: number, span: number): Promise<number | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sendBudgetKeys.item(this.name),
          UpdateExpression: 'SET #next = :next, #type = :type',
          ConditionExpression: 'attribute_not_exists(#next) OR #next < :now',
          ExpressionAttributeNames: { '#next': 'nextSlotAt', '#type': 'type' },
          ExpressionAttributeValues: { ':next': now + span, ':now': now, ':type': SEND_BUDGET },
        }),
      );
      return now;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return undefined;
    }
  }
}
