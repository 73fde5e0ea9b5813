import { nowSeconds } from './ids';

/** Attributes shared by every versioned Key Vault object (unix seconds, as on the wire). */
export interface Attributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
  exportable?: boolean;
}

export interface VersionRecord<P> {
  version: string;
  attributes: Attributes;
  tags?: Record<string, string>;
  payload: P;
}

/** One named object; versions in creation order (the last is the current one). `meta` holds per-object, unversioned state. */
export interface ObjectRecord<P> {
  name: string;
  versions: VersionRecord<P>[];
  meta: Record<string, unknown>;
}

export interface DeletedRecord<P> {
  object: ObjectRecord<P>;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** Plain JSON so that `--state FILE` can persist it as is. */
export interface StoreData<P> {
  live: Record<string, ObjectRecord<P>>;
  deleted: Record<string, DeletedRecord<P>>;
}

export const RECOVERY_LEVEL = 'Recoverable+Purgeable';
export const RECOVERABLE_DAYS = 90;

/** Sorted views of each store's live map, so listing a big vault page by page does not sort it per page. */
const sortedCache = new WeakMap<object, { items: ObjectRecord<unknown>[]; members: Set<ObjectRecord<unknown>> }>();

export const emptyStore = <P>(): StoreData<P> => ({ live: {}, deleted: {} });

export function newAttributes(input: Partial<Attributes> | undefined, recoverableDays = RECOVERABLE_DAYS): Attributes {
  const now = nowSeconds();
  const a: Attributes = {
    enabled: input?.enabled ?? true,
    created: now,
    updated: now,
    recoveryLevel: recoverableDays > 0 ? RECOVERY_LEVEL : 'Purgeable',
    recoverableDays,
  };
  if (input?.nbf !== undefined && input.nbf !== null) a.nbf = input.nbf;
  if (input?.exp !== undefined && input.exp !== null) a.exp = input.exp;
  if (input?.exportable !== undefined) a.exportable = input.exportable;
  return a;
}

/**
 * Versioned objects with soft delete. Key Vault names are case-insensitive but keep the case they were created with,
 * so records are keyed by the lower-cased name.
 */
export class VersionedStore<P> {
  constructor(readonly data: StoreData<P>) {}

  static key(name: string): string {
    return name.toLowerCase();
  }

  get(name: string): ObjectRecord<P> | undefined {
    return this.data.live[VersionedStore.key(name)];
  }

  getDeleted(name: string): DeletedRecord<P> | undefined {
    return this.data.deleted[VersionedStore.key(name)];
  }

  /** The version asked for, or the newest one when `version` is empty. */
  getVersion(name: string, version?: string): { object: ObjectRecord<P>; record: VersionRecord<P> } | undefined {
    const object = this.get(name);
    if (!object || object.versions.length === 0) return undefined;
    const record = version ? object.versions.find((v) => v.version === version.toLowerCase()) : object.versions[object.versions.length - 1];
    return record ? { object, record } : undefined;
  }

  /**
   * Live objects sorted by name. The sorted view is cached per store and rebuilt when the set of names changes
   * (checked by size and identity, O(n) without sorting), so paging a big vault does not sort it per page.
   */
  list(): ObjectRecord<P>[] {
    const live = this.data.live;
    const keys = Object.keys(live);
    const cached = sortedCache.get(live) as { items: ObjectRecord<P>[]; members: Set<ObjectRecord<P>> } | undefined;
    let items: ObjectRecord<P>[];
    if (cached && cached.items.length === keys.length && keys.every((k) => cached.members.has(live[k]!))) {
      items = cached.items;
    } else {
      items = keys.sort().map((k) => live[k]!);
      sortedCache.set(live, { items: items as ObjectRecord<unknown>[], members: new Set(items as ObjectRecord<unknown>[]) });
    }
    return items.filter((o) => o.versions.length > 0);
  }

  listDeleted(): DeletedRecord<P>[] {
    return Object.values(this.data.deleted).sort((a, b) => (VersionedStore.key(a.object.name) < VersionedStore.key(b.object.name) ? -1 : 1));
  }

  /** Adds a version, creating the object when needed. */
  addVersion(name: string, record: VersionRecord<P>): ObjectRecord<P> {
    const k = VersionedStore.key(name);
    let object = this.data.live[k];
    if (!object) {
      object = { name, versions: [], meta: {} };
      this.data.live[k] = object;
    }
    object.versions.push(record);
    return object;
  }

  /** Replaces a whole object (restore from backup). */
  put(object: ObjectRecord<P>): void {
    this.data.live[VersionedStore.key(object.name)] = object;
  }

  softDelete(name: string): DeletedRecord<P> | undefined {
    const k = VersionedStore.key(name);
    const object = this.data.live[k];
    if (!object) return undefined;
    delete this.data.live[k];
    const now = nowSeconds();
    const recoverableDays = object.versions[object.versions.length - 1]?.attributes.recoverableDays ?? RECOVERABLE_DAYS;
    const deleted: DeletedRecord<P> = { object, deletedDate: now, scheduledPurgeDate: now + recoverableDays * 86400 };
    if (recoverableDays > 0) this.data.deleted[k] = deleted;
    return deleted;
  }

  recover(name: string): ObjectRecord<P> | undefined {
    const k = VersionedStore.key(name);
    const deleted = this.data.deleted[k];
    if (!deleted) return undefined;
    delete this.data.deleted[k];
    this.data.live[k] = deleted.object;
    return deleted.object;
  }

  purge(name: string): boolean {
    const k = VersionedStore.key(name);
    if (!this.data.deleted[k]) return false;
    delete this.data.deleted[k];
    return true;
  }
}
