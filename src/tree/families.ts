import { mapBounded } from '../keyvault/concurrency';
import type { KeyVaultService } from '../keyvault/service';
import type { PageSettings, PagedList, Page } from '../keyvault/paging';
import { certificateView, keyView, secretView, storageView, type ObjectFamily, type ObjectView } from './model/objectView';

/** How the tree lists one object family: label, icon, and the service calls mapped to ObjectView. */
export interface FamilyAdapter {
  family: ObjectFamily;
  /** "Secrets" */
  label: string;
  /** "secret" (for messages) */
  singular: string;
  icon: string;
  /** Certificates and storage accounts exist in vaults only. */
  vaultOnly: boolean;
  hasVersions: boolean;
  list(service: KeyVaultService, vaultUrl: string, settings: PageSettings, signal?: AbortSignal): AsyncIterableIterator<Page<ObjectView>>;
  listVersions?(service: KeyVaultService, vaultUrl: string, name: string, settings: PageSettings): AsyncIterableIterator<Page<ObjectView>>;
  listDeleted(service: KeyVaultService, vaultUrl: string, settings: PageSettings): AsyncIterableIterator<Page<ObjectView>>;
  /**
   * Fills in what a listing leaves out (keys: list items carry no key type, size or curve, so each listed key is
   * read once). Mutates the views; returns those it changed.
   */
  enrich?(service: KeyVaultService, views: readonly ObjectView[], concurrency: number): Promise<ObjectView[]>;
}

/** Views already enriched or being enriched: each is read at most once, however often the tree re-renders. */
const attempted = new WeakSet<ObjectView>();

/**
 * Starts `adapter.enrich` for the views not tried yet, without waiting: the page shows at once, the details follow
 * and `onChanged` re-renders. Failures (e.g. list-only permissions) leave the views as listed.
 */
export function enrichInBackground(
  adapter: FamilyAdapter,
  service: KeyVaultService,
  views: readonly ObjectView[],
  concurrency: number,
  onChanged: (changed: ObjectView[]) => void,
): void {
  if (!adapter.enrich) return;
  const todo = views.filter((v) => !attempted.has(v));
  if (todo.length === 0) return;
  for (const v of todo) attempted.add(v);
  adapter.enrich(service, todo, concurrency).then(
    (changed) => {
      if (changed.length) onChanged(changed);
    },
    () => undefined,
  );
}

/** Keys: read each listed key (public part only) for its type, size or curve and operations. */
async function enrichKeys(service: KeyVaultService, views: readonly ObjectView[], concurrency: number): Promise<ObjectView[]> {
  const changed: ObjectView[] = [];
  const todo = views.filter((v) => !v.keyType && !v.deleted);
  await mapBounded(
    todo,
    async (v) => {
      try {
        const k = keyView(await service.keys.get(v.vaultUrl, v.name, v.version));
        if (k.keyType) v.keyType = k.keyType;
        if (k.keySize) v.keySize = k.keySize;
        if (k.curve) v.curve = k.curve;
        if (k.keyOps) v.keyOps = k.keyOps;
        changed.push(v);
      } catch {
        // Listing allowed but reading not: the key shows without its type.
      }
    },
    // keyVault.bulk.concurrency; mapBounded halves it while the vault throttles.
    { concurrency },
  );
  return changed;
}

/** Maps a PagedList's pages to ObjectViews lazily. */
async function* mapPages<T>(list: PagedList<T>, settings: PageSettings, map: (t: T) => ObjectView): AsyncIterableIterator<Page<ObjectView>> {
  for await (const page of list.byPage(settings)) {
    yield { items: page.items.map(map), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  }
}

const opt = (signal?: AbortSignal): { abortSignal?: AbortSignal } => (signal ? { abortSignal: signal } : {});

export const FAMILIES: Record<ObjectFamily, FamilyAdapter> = {
  keys: {
    family: 'keys',
    label: 'Keys',
    singular: 'key',
    icon: 'key',
    vaultOnly: false,
    hasVersions: true,
    list: (s, url, p, signal) => mapPages(s.keys.list(url, opt(signal)), p, keyView),
    listVersions: (s, url, name, p) => mapPages(s.keys.listVersions(url, name), p, keyView),
    listDeleted: (s, url, p) => mapPages(s.keys.listDeleted(url), p, keyView),
    enrich: enrichKeys,
  },
  secrets: {
    family: 'secrets',
    label: 'Secrets',
    singular: 'secret',
    // A document with a padlock: a secret, and not the padlock of its vault.
    icon: 'gist-secret',
    vaultOnly: true,
    hasVersions: true,
    list: (s, url, p, signal) => mapPages(s.secrets.list(url, opt(signal)), p, secretView),
    listVersions: (s, url, name, p) => mapPages(s.secrets.listVersions(url, name), p, secretView),
    listDeleted: (s, url, p) => mapPages(s.secrets.listDeleted(url), p, secretView),
  },
  certificates: {
    family: 'certificates',
    label: 'Certificates',
    singular: 'certificate',
    // A seal, as on a certificate.
    icon: 'verified',
    vaultOnly: true,
    hasVersions: true,
    list: (s, url, p, signal) => mapPages(s.certificates.list(url, { includePending: true, ...opt(signal) }), p, certificateView),
    listVersions: (s, url, name, p) => mapPages(s.certificates.listVersions(url, name), p, certificateView),
    listDeleted: (s, url, p) => mapPages(s.certificates.listDeleted(url), p, certificateView),
  },
  storage: {
    family: 'storage',
    label: 'Storage accounts',
    singular: 'storage account',
    icon: 'database',
    vaultOnly: true,
    hasVersions: false,
    list: (s, url, p, signal) => mapPages(s.storage.list(url, opt(signal)), p, storageView),
    listDeleted: (s, url, p) => mapPages(s.storage.listDeleted(url), p, storageView),
  },
};
