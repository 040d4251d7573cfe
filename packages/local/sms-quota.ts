/**
 * The account's SMS quota as the SNS stand-in enforces it: a token bucket of `perSecond` tokens
 * (one second of burst) refilled continuously. A publish without a token is throttled, as SNS
 * does above the account's messages-per-second limit. Unlimited when perSecond is undefined.
 */
export class SmsQuota {
  private tokens: number;
  private last: number;
  published = 0;
  throttled = 0;

  constructor(
    readonly perSecond: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = perSecond ?? 0;
    this.last = now();
  }

  /** True when this publish may go; false when it is throttled. */
  take(): boolean {
    if (this.perSecond === undefined) {
      this.published++;
      return true;
    }
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.published++;
      return true;
    }
    this.throttled++;
    return false;
  }

  reset(): void {
    this.published = 0;
    this.throttled = 0;
  }
}
