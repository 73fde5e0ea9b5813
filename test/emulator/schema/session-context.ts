import { randomBytes } from 'node:crypto';
import type { ReadyInfo } from '../emulator';
import type { RawClient } from './http-client';
import type { Session } from './session';

/** What every scripted family session gets. */
export interface SessionContext {
  ready: ReadyInfo;
  raw: RawClient;
  s: Session;
}

/** Object names unique per run, so sessions never collide with the demo seed or with each other. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Poll fast: the emulator completes long-running operations at once. */
export const fastPoll = { intervalInMs: 20 } as const;

/** Drains an SDK paged iterator page by page (so nextLink is followed), stopping after `maxPages`. */
export async function drainPages<T>(pages: AsyncIterableIterator<T[]>, maxPages = 3): Promise<number> {
  let items = 0;
  let n = 0;
  for await (const page of pages) {
    items += page.length;
    if (++n >= maxPages) break;
  }
  return items;
}
