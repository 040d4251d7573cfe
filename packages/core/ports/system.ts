export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique, time-ordered id (a ULID in production). */
  next(): string;
}
