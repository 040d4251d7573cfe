import * as z from 'zod';
import {
  ConcurrentModificationError,
  SCORES,
  SurveyAlreadyAnsweredError,
  emptyScoreCounts,
  type Change,
  type Page,
  type ScoreCounts,
  type Survey,
  type SurveyInvitation,
  type SurveyRepository,
} from '../core/index.ts';
import type { CursorCodec } from './cursor.ts';
import { pageOfPartition } from './merged-listing.ts';
import { AUDIENCE_SHARDS, audienceShard, partitions } from './partitions.ts';
import { fromItem, versionedPut, type GuardedWrite, type Item, type TableClient } from './table-client.ts';

export const SURVEY = 'Survey';
export const SURVEY_COUNTS = 'SurveyCounts';
export const SURVEY_INVITATION = 'SurveyInvitation';

/** Score counters per survey: answers spread over this many items, so no item takes them all. */
export const SURVEY_COUNT_SHARDS = AUDIENCE_SHARDS;
/** An invitation outlives its window by this long (then TTL removes it: the number's partition stays small). */
const INVITATION_KEPT_S = 30 * 86_400;

export const surveyKeys = {
  item: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SURVEY' }),
  /** gsi1: one product's surveys; gsi2: all surveys (a few a day at most: one partition holds them). */
  listed: (survey: Pick<Survey, 'surveyId' | 'productCode' | 'createdAt'>) => ({
    gsi1pk: surveyKeys.productPartition(survey.productCode),
    gsi1sk: `${survey.createdAt}#${survey.surveyId}`,
    gsi2pk: ALL_SURVEYS,
    gsi2sk: `${survey.createdAt}#${survey.surveyId}`,
  }),
  productPartition: (productCode: string) => `SURVEYS#${productCode}`,
  /** One counter item per shard, each in its own partition: `s1`..`s5` per score. */
  counts: (surveyId: string, shard: number) => ({ pk: `SURVEYCOUNT#${surveyId}#${shard}`, sk: 'COUNT' }),
  /** With the number (read with its holder and opt-out state): a survey sent to it, and its first score. */
  invitation: (phone: string, surveyId: string) => ({ pk: partitions.phone(phone), sk: `${INVITATION_PREFIX}${surveyId}` }),
};
export const INVITATION_PREFIX = 'SURVEY#';
const ALL_SURVEYS = 'SURVEYS';

const surveySchema: z.ZodType<Survey> = z.object({
  surveyId: z.string(),
  productCode: z.string(),
  question: z.string(),
  messageId: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.string(),
  createdBy: z.string(),
  closesAt: z.string(),
  version: z.number().int(),
});

const invitationSchema: z.ZodType<SurveyInvitation> = z.object({
  surveyId: z.string(),
  productCode: z.string(),
  customerId: z.string(),
  sentAt: z.string(),
  closesAt: z.string(),
  answeredAt: z.string().optional(),
  score: z.union(SCORES.map((s) => z.literal(s))).optional() as z.ZodType<SurveyInvitation['score']>,
});

const countsSchema = z.object({ s1: z.number().int().default(0), s2: z.number().int().default(0), s3: z.number().int().default(0), s4: z.number().int().default(0), s5: z.number().int().default(0) });

export function invitationFrom(item: Item): SurveyInvitation {
  return fromItem(invitationSchema, item, SURVEY_INVITATION);
}

export function surveyWrites(table: TableClient, change: Extract<Change, { kind: 'survey' }>): GuardedWrite[] {
  return [
    {
      item: versionedPut(table.name, { ...surveyKeys.item(change.survey.surveyId), ...surveyKeys.listed(change.survey), type: SURVEY, ...change.survey }, change.expectedVersion),
      onConditionFailed: (cause) => new ConcurrentModificationError('survey', change.survey.surveyId, { cause }),
    },
  ];
}

/** The number's first score: recorded on its invitation (only once), counted on the customer's shard. */
export function surveyAnswerWrites(table: TableClient, change: Extract<Change, { kind: 'survey-answer' }>): GuardedWrite[] {
  return [
    {
      item: {
        Update: {
          TableName: table.name,
          Key: surveyKeys.invitation(change.phone, change.surveyId),
          UpdateExpression: 'SET answeredAt = :at, score = :score',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(answeredAt)',
          ExpressionAttributeValues: { ':at': change.at, ':score': change.score },
        },
      },
      onConditionFailed: (cause) => new SurveyAlreadyAnsweredError(`${change.phone} has already answered survey ${change.surveyId}`, { cause }),
      priority: 1,
    },
    {
      item: {
        Update: {
          TableName: table.name,
          Key: surveyKeys.counts(change.surveyId, audienceShard(change.customerId)),
          UpdateExpression: 'ADD #score :one SET #type = :type',
          ExpressionAttributeNames: { '#score': `s${change.score}`, '#type': 'type' },
          ExpressionAttributeValues: { ':one': 1, ':type': SURVEY_COUNTS },
        },
      },
      onConditionFailed: (cause) => new ConcurrentModificationError('survey counts', change.surveyId, { cause }),
    },
  ];
}

export class DynamoSurveyRepository implements SurveyRepository {
  constructor(
    private readonly table: TableClient,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: { productCode?: string; limit: number; cursor?: string }): Promise<Page<Survey>> {
    const [index, partition] = query.productCode ? (['gsi1', surveyKeys.productPartition(query.productCode)] as const) : (['gsi2', ALL_SURVEYS] as const);
    const page = await pageOfPartition(this.table, this.cursors, { index, partition, limit: query.limit, ...(query.cursor && { cursor: query.cursor }), what: 'this list of surveys' });
    return { items: page.items.map((item) => fromItem(surveySchema, item, SURVEY)), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  async get(surveyId: string): Promise<Survey | undefined> {
    const item = await this.table.get(surveyKeys.item(surveyId), { consistent: true });
    return item && fromItem(surveySchema, item, SURVEY);
  }

  /** One BatchGetItem: the survey and its counter shards, whatever the audience. */
  async results(surveyId: string): Promise<{ survey: Survey; counts: ScoreCounts } | undefined> {
    const keys = [surveyKeys.item(surveyId), ...Array.from({ length: SURVEY_COUNT_SHARDS }, (_, shard) => surveyKeys.counts(surveyId, shard))];
    const items = await this.table.batchGet(keys);
    const surveyItem = items.find((i) => i.sk === 'SURVEY');
    if (!surveyItem) return undefined;
    const counts = emptyScoreCounts();
    for (const shard of items.filter((i) => i.sk === 'COUNT').map((i) => fromItem(countsSchema, i, SURVEY_COUNTS))) {
      for (const s of SCORES) counts[`${s}`] += shard[`s${s}`];
    }
    return { survey: fromItem(surveySchema, surveyItem, SURVEY), counts };
  }

  async recordInvitations(invitations: Array<SurveyInvitation & { phone: string }>): Promise<void> {
    await this.table.batchWrite(
      invitations.map(({ phone, ...invitation }) => ({
        put: { ...surveyKeys.invitation(phone, invitation.surveyId), type: SURVEY_INVITATION, ...invitation, ttl: Math.ceil(Date.parse(invitation.closesAt) / 1000) + INVITATION_KEPT_S },
      })),
    );
  }
}
