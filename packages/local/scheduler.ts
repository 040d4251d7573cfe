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

/** A rate schedule (EventBridge Scheduler `rate(n minutes)`). */
export interface LocalRateSchedule {
  name: string;
  everyMinutes: number;
  fire(scheduledTime: Date): Promise<void>;
}

/** A clock that runs on by itself and can be moved ahead, never back (the local platform's one clock). */
export interface MovableClock {
  now(): Date;
  advanceTo(at: Date): void;
}

/** A clock of its own (a scheduler used alone), starting at `start` and moving only when told. */
export function standaloneClock(start: Date = new Date()): MovableClock {
  let now = start;
  return { now: () => now, advanceTo: (at) => void (now = at > now ? at : now) };
}

/** A tick to an instant before the clock's: the local clock never goes back. */
export class ClockBackwardsError extends Error {
  override readonly name = 'ClockBackwardsError';
}

/** How far before the clock a tick may ask for and still count as now (the clock runs on while a request travels). */
const TICK_TOLERANCE_MS = 1000;

/**
 * In-process stand-in for EventBridge Scheduler, on the local platform's one clock: a tick moves
 * that clock ahead (`POST /local/scheduler/tick`) and fires every one-time schedule due by then
 * and every recurring occurrence passed over since the last tick, once each, in time order.
 */
export class LocalScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly recurring = new Map<string, LocalRecurringSchedule>();
  private readonly rates = new Map<string, LocalRateSchedule>();
  /** Recurring occurrences are fired up to here. */
  private firedUpTo: Date;

  constructor(private readonly clock: MovableClock = standaloneClock()) {
    this.firedUpTo = clock.now();
  }

  /** Creates or replaces the schedule of that name. */
  upsert(schedule: LocalSchedule): void {
    this.schedules.set(schedule.name, schedule);
  }

  upsertRecurring(schedule: LocalRecurringSchedule): void {
    this.recurring.set(schedule.name, schedule);
  }

  upsertRate(schedule: LocalRateSchedule): void {
    this.rates.set(schedule.name, schedule);
  }

  has(name: string): boolean {
    return this.schedules.has(name);
  }

  delete(name: string): boolean {
    return this.schedules.delete(name);
  }

  /** The clock's time now (GET /local/clock). */
  now(): Date {
    return this.clock.now();
  }

  list(): Array<{ name: string; at: string }> {
    return [...this.schedules.values()].map((s) => ({ name: s.name, at: s.at.toISOString() }));
  }

  /** Fires every one-time schedule due at or before `now`, every daily occurrence since the last tick, and each rate schedule passed over. */
  async tick(to: Date): Promise<string[]> {
    const current = this.clock.now();
    if (to.getTime() < current.getTime() - TICK_TOLERANCE_MS) {
      throw new ClockBackwardsError(`The local clock is at ${current.toISOString()}: it never goes back to ${to.toISOString()}`);
    }
    const now = to > current ? to : current;
    this.clock.advanceTo(now);
    const due: Array<{ at: Date; name: string; run: () => Promise<void> }> = [];
    for (const s of this.schedules.values()) {
      if (s.at <= now) due.push({ at: s.at, name: s.name, run: () => { this.schedules.delete(s.name); return s.fire(); } });
    }
    if (now > this.firedUpTo) {
      for (const s of this.recurring.values()) {
        const last = localDate(now, s.timezone);
        for (let day = localDate(this.firedUpTo, s.timezone); day <= last; day = addCalendarDays(day, 1)) {
          const at = zonedTime(day, s.hour, s.minute, s.timezone);
          const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
          if (s.weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
          if (at > this.firedUpTo && at <= now) due.push({ at, name: `${s.name}@${at.toISOString()}`, run: () => s.fire(at) });
        }
      }
      // A rate schedule passed over several times in one tick fires once (at its latest occurrence):
      // what it does (tidying up) needs doing once, not once per missed occurrence.
      for (const s of this.rates.values()) {
        const every = s.everyMinutes * 60_000;
        const at = new Date(Math.floor(now.getTime() / every) * every);
        if (at > this.firedUpTo) due.push({ at, name: `${s.name}@${at.toISOString()}`, run: () => s.fire(at) });
      }
      this.firedUpTo = now;
    }
    due.sort((a, b) => +a.at - +b.at);
    for (const d of due) await d.run();
    return due.map((d) => d.name);
  }
}
