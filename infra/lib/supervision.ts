import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PlatformFunction } from './platform-function.ts';

/**
 * The supervision loop's schedules: a survey's window ends (one-time schedules the admin API
 * creates), and every 15 minutes the open complaints past their response deadline are counted
 * into a metric (Embedded Metric Format in the function's log), which an alarm watches.
 */
export class Supervision extends Construct {
  readonly handler: PlatformFunction;
  readonly overdueComplaints: Alarm;

  constructor(scope: Construct, id: string, props: { table: ITable }) {
    super(scope, id);
    // GetItem: the survey; PutItem: its close and audit record (one transaction); Query: the overdue counts.
    this.handler = new PlatformFunction(this, 'SupervisionFunction', {
      functionDir: 'supervision',
      description: 'Schedules: closes surveys at the end of their window; counts overdue complaints and follow-ups (metrics)',
    }).bindTable(props.table, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem']);
    const overdue = new Metric({
      namespace: 'SmsPlatform',
      metricName: 'OverdueComplaints',
      dimensionsMap: { service: 'supervision' },
      statistic: 'Maximum',
      period: Duration.minutes(15),
    });
    this.overdueComplaints = new Alarm(this, 'OverdueComplaints', {
      alarmDescription: 'Open complaints past their response deadline (COMPLAINT_RESPONSE_HOURS): GET /admin/cases?kind=complaint&overdue=true lists them.',
      metric: overdue,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
