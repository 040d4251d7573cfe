/**
 * A time zone in which it is `hour` o'clock (local) at `at`: tests that depend on quiet hours
 * pick their clients' zones with it, so they pass at any time of day.
 * `Etc/GMT-8` is UTC+8 (POSIX signs); whole hours from UTC-12 to UTC+14 cover every hour.
 */
export function zoneWhereItIs(hour: number, at: Date = new Date()): string {
  let offset = (hour - at.getUTCHours()) % 24;
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** A zone where it is around noon now (a promotional message goes out at once). */
export const daytimeZone = () => zoneWhereItIs(12);
