import { addCalendarDays, localDate, zonedTime } from '../core/index.ts';

/** A one-time schedule (EventBridge Scheduler `at(...)`) in the local runtime. */
export interface LocalSchedule {
  name: string;
  at: Date;
  fire(): Promise<void>;
}

/** A daily schedule (EventBridge Scheduler `cron(m h * * ? *)` with a time zone). */
export interface LocalRecurringSchedule {
  name: string;
  hour: number;
  minute: number;
  timezone: string;
  /** Monday to Friday only (cron `? * MON-FRI`). */
  weekdaysOnly?: boolean;
  /** Called with the scheduled time of the occurrence (`<aws.scheduler.scheduled-time>`). */
  fire(scheduledTime: Date): Promise<void>;
}

/**
 * In-process stand-in for EventBridge Scheduler. Its clock starts at the real time and moves
 * only when told (`POST /local/scheduler/tick`), so tests can jump to any later instant; every
 * occurrence passed over by a tick fires once, in time order.
 */
export class LocalScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly recurring = new Map<string, LocalRecurringSchedule>();

  constructor(private clock: Date = new Date()) {}

  /** Creates or replaces the schedule of that name. */
  upsert(schedule: LocalSchedule): void {
    this.schedules.set(schedule.name, schedule);
  }

  upsertRecurring(schedule: LocalRecurringSchedule): void {
    this.recurring.set(schedule.name, schedule);
  }

  has(name: string): boolean {
    return this.schedules.has(name);
  }

  delete(name: string): boolean {
    return this.schedules.delete(name);
  }

  list(): Array<{ name: string; at: string }> {
    return [...this.schedules.values()].map((s) => ({ name: s.name, at: s.at.toISOString() }));
  }

  /** Fires every one-time schedule due at or before `now` and every daily occurrence since the last tick. */
  async tick(now: Date): Promise<string[]> {
    const due: Array<{ at: Date; name: string; run: () => Promise<void> }> = [];
    for (const s of this.schedules.values()) {
      if (s.at <= now) due.push({ at: s.at, name: s.name, run: () => { this.schedules.delete(s.name); return s.fire(); } });
    }
    if (now > this.clock) {
      for (const s of this.recurring.values()) {
        const last = localDate(now, s.timezone);
        for (let day = localDate(this.clock, s.timezone); day <= last; day = addCalendarDays(day, 1)) {
          const at = zonedTime(day, s.hour, s.minute, s.timezone);
          const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
          if (s.weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
          if (at > this.clock && at <= now) due.push({ at, name: `${s.name}@${at.toISOString()}`, run: () => s.fire(at) });
        }
      }
      this.clock = now;
    }
    due.sort((a, b) => +a.at - +b.at);
    for (const d of due) await d.run();
    return due.map((d) => d.name);
  }
}
