import type { PinnedContainer } from './types';

/** The slice of `vscode.Memento` the store needs (ExtensionContext.globalState); tests pass an in-memory map. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export const PINNED_STATE_KEY = 'keyVault.pinned.v1';

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps only well-formed entries, and of each only the fields a pin has: whatever else is in globalState (an older
 * format, a hand edit) never travels on. A pin holds no secret: kind, name, origin, session id, CA file path.
 */
export function sanitizePinned(raw: unknown): PinnedContainer[] {
  if (!Array.isArray(raw)) return [];
  const out: PinnedContainer[] = [];
  const seen = new Set<string>();
  for (const item of raw as Array<Record<string, unknown> | null>) {
    if (!item || typeof item !== 'object') continue;
    const { kind, name, url, sessionId, custom } = item;
    if ((kind !== 'vault' && kind !== 'hsm') || typeof name !== 'string' || name === '' || typeof url !== 'string') continue;
    const origin = originOf(url);
    if (!origin || seen.has(origin)) continue;
    seen.add(origin);
    const pin: PinnedContainer = { kind, name, url: new URL(url).origin };
    if (typeof sessionId === 'string' && sessionId) pin.sessionId = sessionId;
    if (custom && typeof custom === 'object') {
      const caFile = (custom as { caFile?: unknown }).caFile;
      pin.custom = typeof caFile === 'string' && caFile ? { caFile } : {};
    }
    out.push(pin);
  }
  return out;
}

/** Pinned vaults and HSMs in globalState, one entry per origin (case-insensitive). */
export class PinnedStore {
  constructor(private readonly memento: MementoLike) {}

  list(): PinnedContainer[] {
    return sanitizePinned(this.memento.get<unknown>(PINNED_STATE_KEY));
  }

  find(url: string): PinnedContainer | undefined {
    const origin = originOf(url);
    return origin ? this.list().find((p) => p.url.toLowerCase() === origin) : undefined;
  }

  /** Adds, or replaces the entry for the same origin. */
  async add(pin: PinnedContainer): Promise<'added' | 'replaced'> {
    const [clean] = sanitizePinned([pin]);
    if (!clean) throw new Error(`Not a valid pinned vault: ${pin.url}`);
    const list = this.list();
    const index = list.findIndex((p) => p.url.toLowerCase() === clean.url.toLowerCase());
    if (index >= 0) list[index] = clean;
    else list.push(clean);
    await this.memento.update(PINNED_STATE_KEY, list);
    return index >= 0 ? 'replaced' : 'added';
  }

  async remove(url: string): Promise<boolean> {
    const origin = originOf(url);
    const list = this.list();
    const kept = list.filter((p) => p.url.toLowerCase() !== origin);
    if (kept.length === list.length) return false;
    await this.memento.update(PINNED_STATE_KEY, kept);
    return true;
  }
}
