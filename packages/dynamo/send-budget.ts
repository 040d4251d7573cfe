import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendBudget } from '../core/index.ts';
import { ITEM_TYPES, keys } from './keys.ts';

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
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
  }

  async reserve(count: number): Promise<number> {
    const span = Math.ceil((count * 1000) / this.perSecond);
    for (;;) {
      const now = this.now();
      try {
        // Busy: the slots follow the last booked ones.
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.sendBudget(this.name),
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
      }
      try {
        // Idle (the next slot is in the past): start now, no burst of the unused past.
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.sendBudget(this.name),
            UpdateExpression: 'SET #next = :next, #type = :type',
            ConditionExpression: 'attribute_not_exists(#next) OR #next < :now',
            ExpressionAttributeNames: { '#next': 'nextSlotAt', '#type': 'type' },
            ExpressionAttributeValues: { ':next': now + span, ':now': now, ':type': ITEM_TYPES.sendBudget },
          }),
        );
        return now;
      } catch (error) {
        // Another sender booked in between: book after it.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }
}
