// Pure (no `vscode`): unit-tested in test/unit/tree-commands.test.ts.
import type { ObjectFamily } from '../../tree/model/objectView';

const ASSET: Partial<Record<ObjectFamily, string>> = { secrets: 'Secret', keys: 'Key', certificates: 'Certificate' };

export interface PortalTarget {
  /** The session's cloud: its id and portal (portal.azure.com, portal.azure.cn, portal.azure.us). */
  cloud: { id: string; portalUrl: string };
  /** The vault or HSM resource, when discovery found it. */
  resourceId?: string;
  tenantId?: string;
  containerKind: 'vault' | 'hsm';
  /** For an object: its family and id URL (versioned or not). */
  object?: { family: ObjectFamily; id: string; deleted?: boolean };
}

/**
 * The portal page of a vault, HSM or object in the portal of its cloud; undefined when there is none (custom clouds
 * and the emulator, deleted objects, storage accounts). Vault objects open the Key Vault blade by their id; Managed
 * HSM keys have no such blade, so they open their HSM's resource page.
 */
export function portalLink(t: PortalTarget): string | undefined {
  if (t.cloud.id === 'Custom') return undefined;
  const portal = t.cloud.portalUrl.replace(/\/+$/, '');
  const tenant = t.tenantId ? `@${t.tenantId}` : '';
  const resource = t.resourceId ? `${portal}/#${tenant}/resource${t.resourceId}` : undefined;
  if (!t.object) return resource;
  if (t.object.deleted) return undefined;
  if (t.containerKind === 'hsm') return resource;
  const asset = ASSET[t.object.family];
  if (!asset) return undefined;
  return `${portal}/#${tenant}/asset/Microsoft_Azure_KeyVault/${asset}/${t.object.id}`;
}
