/** A one-time schedule (EventBridge Scheduler `at(...)`) in the local runtime. */
export interface LocalSchedule {
  name: string;
  at: Date;
  fire(): Promise<void>;
}

/**
 * In-process stand-in for EventBridge Scheduler. Time moves only when told
 * (`POST /local/scheduler/tick`), so tests can jump to any instant.
 */
export class LocalScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();

  /** Creates or replaces the schedule of that name. */
  upsert(schedule: LocalSchedule): void {
    this.schedules.set(schedule.name, schedule);
  }

  delete(name: string): boolean {
    return this.schedules.delete(name);
  }

  list(): Array<{ name: string; at: string }> {
    return [...this.schedules.values()].map((s) => ({ name: s.name, at: s.at.toISOString() }));
  }

  /** Fires every schedule due at or before `now`, oldest first; each one-time schedule fires once. */
  async tick(now: Date): Promise<string[]> {
    const due = [...this.schedules.values()].filter((s) => s.at <= now).sort((a, b) => +a.at - +b.at);
    const fired: string[] = [];
    for (const schedule of due) {
      this.schedules.delete(schedule.name);
      await schedule.fire();
      fired.push(schedule.name);
    }
    return fired;
  }
}
