import type { Exchange } from '../core/pipeline';
import { isPathNotFound, type RawResponse, errorOf } from './http-client';

/**
 * A scripted session of steps that keeps going when a step fails, so that one run reports every problem:
 * - a step whose route the emulator does not serve at all (404 NotFound "path … was not found") is skipped, with a
 *   reason, because that family has not landed yet;
 * - any other failure is recorded and reported at the end;
 * - a step that needs the result of a skipped or failed step is reported as blocked, never run.
 */
export class Session {
  readonly skipped: string[] = [];
  readonly failures: string[] = [];
  readonly passed: string[] = [];

  /** `lastExchange` lets a step see the emulator's own answer when an SDK error hides it (pagers do). */
  constructor(private readonly lastExchange: () => Exchange | undefined = () => undefined) {}

  async step<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await run();
      this.passed.push(name);
      return result;
    } catch (err) {
      const e = err as { statusCode?: number; status?: number; code?: string; message?: string; response?: { bodyAsText?: string | null } };
      // SDK pagers replace the service message with their own ("Pagination failed with unexpected statusCode 404").
      const last = this.lastExchange();
      const lastError = (last?.responseBody as { error?: { code?: string; message?: string } } | undefined)?.error;
      if (isPathNotFound(e.statusCode ?? e.status, e.code, e.message) || (e.statusCode === 404 && isPathNotFound(last?.status, lastError?.code, lastError?.message))) {
        this.skipped.push(`${name}: not served by the emulator (404 NotFound, path not found)`);
      } else {
        this.failures.push(`${name}: ${describe(err)}`);
      }
      return undefined;
    }
  }

  /** Records that a step could not run because something it needs is missing. */
  blocked(name: string, needs: string): void {
    this.skipped.push(`${name}: not run, needs ${needs}`);
  }
}

function describe(err: unknown): string {
  if (err instanceof StepError) return err.message;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e && typeof e === 'object' && e.statusCode !== undefined) return `${e.statusCode} ${e.code ?? ''} ${e.message ?? ''}`.trim();
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** A raw response that was not what the step expected; carries status/code so path-not-found is recognised. */
export class StepError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Throws unless the raw response has the expected status (so the Session can skip or record it). */
export function expectStatus(r: RawResponse, ...expected: number[]): RawResponse {
  if (expected.includes(r.status)) return r;
  const error = errorOf(r);
  // Keep the original wording in `message` so that a missing route is recognised as such by Session.step.
  if (isPathNotFound(r.status, error?.code, error?.message)) throw new StepError(error?.message ?? '', r.status, error?.code);
  throw new StepError(`expected ${expected.join(' or ')}, got ${r.status} ${error?.code ?? ''}: ${error?.message ?? r.text.slice(0, 300)}`, r.status, error?.code);
}
