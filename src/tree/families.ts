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
  },
  secrets: {
    family: 'secrets',
    label: 'Secrets',
    singular: 'secret',
    icon: 'lock',
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
    icon: 'workspace-trusted',
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
