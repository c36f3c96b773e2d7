// Pure crash back-off: restart after 1 s, 2 s, 4 s ... at most `maxRestarts` times within
// `windowMs`; after that the extension stops retrying and tells the user.

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly maxRestarts = 3,
    readonly windowMs = 3 * 60 * 1000,
    readonly baseDelayMs = 1000,
  ) {}

  /** Records a crash at `now`; returns the delay before the next restart, or undefined to give up. */
  onCrash(now: number): number | undefined {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count > this.maxRestarts) {
      return undefined;
    }
    return this.baseDelayMs * 2 ** (count - 1);
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }

  reset(): void {
    this.crashes = [];
  }
}
