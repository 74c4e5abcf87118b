// Per-address budgets for traffic that proves nothing about who sends it: credentials that did not
// work. Held in each process's memory, not in the database: their job is to keep one instance's
// CPU and database pool free for people who are signed in, so they must cost nothing to check, and
// counting in the database would turn every rejected request into a write. With several instances
// an address gets a budget per instance, which still bounds what it can cost each of them. (The
// guessing limits of password sign-in are security limits and are counted in the database:
// sign-in.ts.)
export type Budget = { capacity: number; refillPerSecond: number };

/** Unknown or ended tokens and sessions: 20 in a burst, then one every 3 s, per address. */
export const FAILED_AUTH_BUDGET: Budget = { capacity: 20, refillPerSecond: 1 / 3 };

type Bucket = { tokens: number; at: number };
const MAX_ADDRESSES = 100_000;

class Buckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly budget: Budget) {}

  private level(address: string, now: number): Bucket {
    const bucket = this.buckets.get(address) ?? { tokens: this.budget.capacity, at: now };
    bucket.tokens = Math.min(this.budget.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.budget.refillPerSecond);
    bucket.at = now;
    return bucket;
  }

  /** Spends one; a full bucket is forgotten, so memory holds only addresses that misbehaved lately. */
  spend(address: string, now = Date.now()): void {
    const bucket = this.level(address, now);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    if (this.buckets.size >= MAX_ADDRESSES && !this.buckets.has(address)) this.prune(now);
    this.buckets.set(address, bucket);
  }

  /** Seconds until the address may try again; 0 when it has budget left. */
  retryAfter(address: string, now = Date.now()): number {
    if (!this.buckets.has(address)) return 0;
    const bucket = this.level(address, now);
    if (bucket.tokens >= 1) {
      if (bucket.tokens >= this.budget.capacity) this.buckets.delete(address);
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.budget.refillPerSecond);
  }

  private prune(now: number): void {
    for (const [address] of this.buckets) if (this.retryAfter(address, now) === 0) this.buckets.delete(address);
    if (this.buckets.size >= MAX_ADDRESSES) this.buckets.clear();
  }
}

export function createBuckets(budget: Budget): Buckets {
  return new Buckets(budget);
}

export type { Buckets };

// Shared through globalThis by the edge and Next's route bundles, which load their own copies of this module.
const globalForLimits = globalThis as unknown as { sitrepFailedAuth?: Buckets };

function failedAuth(): Buckets {
  globalForLimits.sitrepFailedAuth ??= new Buckets(FAILED_AUTH_BUDGET);
  return globalForLimits.sitrepFailedAuth;
}

/** Counts a credential that did not work against the address it came from. */
export function recordFailedAuth(address: string): void {
  failedAuth().spend(address);
}

/** Seconds until `address` may present unknown credentials again (0: now). */
export function failedAuthRetryAfter(address: string): number {
  return failedAuth().retryAfter(address);
}
