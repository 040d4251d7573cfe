/**
 * Typed domain errors. Each sets `name`, ends in `Error` and may carry a `cause`.
 * They say nothing about HTTP: packages/lambda maps them to problem+json in one place.
 */

export interface FieldError {
  /** Dotted path of the offending field, e.g. `pricing.periodDays`. */
  field: string;
  message: string;
}

interface ErrorOptions {
  cause?: unknown;
}

/** The caller sent something the domain cannot accept (shape or rule). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly fieldErrors: FieldError[];
  constructor(message: string, fieldErrors: FieldError[] = [], options?: ErrorOptions) {
    super(message, options);
    this.fieldErrors = fieldErrors;
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} ${id} does not exist`, options);
  }
}

/**
 * The request is valid but conflicts with the current state; `reason` is a stable code and
 * `details` carries figures the caller can act on (e.g. `{ missingPoints: 40 }`).
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  readonly details: Record<string, string | number> | undefined;
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions & { details?: Record<string, string | number> },
  ) {
    super(message, options);
    this.details = options?.details;
  }
}

/** An idempotency key was used before with a different request. */
export class IdempotencyKeyReuseError extends Error {
  override readonly name = 'IdempotencyKeyReuseError';
}

/**
 * The store found the operation's idempotency key already recorded (a duplicate delivery or
 * a concurrent twin). Services catch it and answer with the recorded result.
 */
export class OperationAlreadyAppliedError extends Error {
  override readonly name = 'OperationAlreadyAppliedError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`Operation ${key} was already applied`, options);
  }
}

/** Someone else changed the item between our read and our write (optimistic locking). */
export class ConcurrentModificationError extends Error {
  override readonly name = 'ConcurrentModificationError';
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} ${id} was changed by another request; read it again and retry`, options);
  }
}

/** No usable credentials (missing, expired or badly signed token). */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** Valid credentials, but the role may not do this. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** Configuration missing or invalid at cold start. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** The SMS channel refused for rate (the account's messages-per-second quota): retry later. */
export class SmsThrottledError extends Error {
  override readonly name = 'SmsThrottledError';
}

/** The SMS channel refused this message for good (bad number, opted out at the carrier...). */
export class SmsRejectedError extends Error {
  override readonly name = 'SmsRejectedError';
}

/** The text breaks a content rule (promised returns, insider claims): 422 with each rule and the text that matched. */
export class ContentViolationError extends Error {
  override readonly name = 'ContentViolationError';
  readonly reason = 'content-violation';
  constructor(
    readonly violations: Array<{ rule: string; match: string }>,
    options?: ErrorOptions,
  ) {
    super(`The text breaks ${violations.length === 1 ? 'a content rule' : `${violations.length} content rules`}: ${violations.map((v) => `${v.rule} ("${v.match}")`).join(', ')}`, options);
  }
}

/** A number scored a survey it had already scored: the first score counts. */
export class SurveyAlreadyAnsweredError extends Error {
  override readonly name = 'SurveyAlreadyAnsweredError';
}
