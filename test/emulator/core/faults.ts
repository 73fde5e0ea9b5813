/**
 * Fault injection, per route: set at start or at runtime (in-process or through the admin endpoint).
 * A rule matches by target (a container name, "authority", "arm" or "*"), method and a path regex.
 * `lose-answer` lets the request run (and persist) and then drops the connection instead of answering: the client
 * cannot tell whether a create or delete happened, the case a blind retry would do twice.
 */
export type FaultKind = 'latency' | 'throttle' | 'error' | 'reset' | 'stall' | 'expire-token' | 'lose-answer';

export interface FaultRule {
  id?: string;
  target?: string;
  method?: string;
  /** Regular expression source matched against the path (without query). */
  path?: string;
  kind: FaultKind;
  /** latency: delay in ms. */
  ms?: number;
  /** error: HTTP status (500, 503, …). */
  status?: number;
  /** throttle/error: Retry-After seconds to send. */
  retryAfter?: number;
  /** How many matching requests it applies to; unset = until removed. */
  times?: number;
  /** Only apply with this probability (0–1), from a seeded generator. */
  probability?: number;
}

export interface RateLimit {
  /** Requests per second allowed per container (token bucket); over it → 429 Throttled. */
  rps: number;
  /** Retry-After seconds answered. */
  retryAfter?: number;
  burst?: number;
}

let nextId = 1;

export class FaultInjector {
  private rules: (FaultRule & { id: string })[] = [];
  private seed = 0x2f6b;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  rateLimit: RateLimit | undefined;
  /** Tokens issued before this time (ms) are refused with a claims challenge (simulates revocation / CAE). */
  tokensRevokedBefore = 0;

  list(): FaultRule[] {
    return [...this.rules];
  }

  add(rule: FaultRule): string {
    const id = rule.id ?? `fault-${nextId++}`;
    this.rules.push({ ...rule, id });
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
    this.rateLimit = undefined;
    this.buckets.clear();
  }

  private random(): number {
    // xorshift: reproducible "probability" faults across runs.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 0x100000000;
  }

  /** The faults that apply to this request, consuming `times`. */
  take(target: string, method: string, path: string): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.target && rule.target !== '*' && rule.target !== target) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path && !new RegExp(rule.path, 'i').test(path)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      hits.push(rule);
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.remove(rule.id);
      }
    }
    return hits;
  }

  /** True when the container is over its rate and the request must get a 429. */
  overRate(target: string): boolean {
    const limit = this.rateLimit;
    if (!limit) return false;
    const now = Date.now();
    const burst = limit.burst ?? limit.rps;
    const bucket = this.buckets.get(target) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rps);
    bucket.at = now;
    this.buckets.set(target, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }
}
