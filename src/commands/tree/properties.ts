import * as vscode from 'vscode';
import type { ObjectView } from '../../tree/model/objectView';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';

export const PROPERTIES_SCHEME = 'keyvault-properties';

/**
 * Read-only JSON documents with an object's metadata (never a value). Held in memory only and re-read from the
 * object each time the document opens, so nothing lands on disk.
 */
export class PropertiesDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '{}';
  }

  async open(title: string, key: string, content: unknown): Promise<void> {
    const uri = vscode.Uri.from({ scheme: PROPERTIES_SCHEME, path: `/${title}.json`, query: `id=${encodeURIComponent(key)}` });
    this.docs.set(uri.toString(), JSON.stringify(content, null, 2));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.docs.clear();
  }
}

export function objectProperties(v: ObjectView): Record<string, unknown> {
  const date = (d?: Date): string | undefined => d?.toISOString();
  return {
    kind: { secrets: 'secret', keys: 'key', certificates: 'certificate', storage: 'storage account' }[v.family],
    name: v.name,
    id: v.id,
    version: v.version,
    vaultUrl: v.vaultUrl,
    enabled: v.enabled,
    notBefore: date(v.notBefore),
    expiresOn: date(v.expiresOn),
    createdOn: date(v.createdOn),
    updatedOn: date(v.updatedOn),
    recoveryLevel: v.recoveryLevel,
    contentType: v.contentType,
    keyType: v.keyType,
    keySize: v.keySize,
    curve: v.curve,
    keyOps: v.keyOps,
    managed: v.managed || undefined,
    pending: v.pending || undefined,
    thumbprint: v.thumbprint,
    tags: v.tags,
    deleted: v.deleted ? { deletedOn: date(v.deleted.deletedOn), scheduledPurgeDate: date(v.deleted.scheduledPurgeDate), recoveryId: v.deleted.recoveryId } : undefined,
  };
}

/** `Show Properties` on a vault, HSM, or object node. */
export async function showProperties(docs: PropertiesDocuments, node: unknown): Promise<void> {
  if (node instanceof ObjectNode) {
    const v = node.view;
    await docs.open(v.version && node.kind === 'version' ? `${v.name}-${v.version.slice(0, 8)}` : v.name, node.id, objectProperties(v));
    return;
  }
  if (node instanceof ContainerNode) {
    const r = node.ref;
    await docs.open(r.name, node.id, {
      kind: r.kind === 'hsm' ? 'Managed HSM' : 'Key Vault',
      name: r.name,
      url: r.url,
      pinned: Boolean(r.pinned),
      account: node.session.label,
      cloud: node.session.cloud.displayName,
      ...(r.discovered ? { resourceId: r.discovered.resourceId, subscriptionId: r.discovered.subscriptionId, resourceGroup: r.discovered.resourceGroup, location: r.discovered.location, tenantId: r.discovered.tenantId, rbacAuthorization: r.discovered.rbacAuthorization, sku: r.discovered.sku } : {}),
    });
    return;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Select a vault, HSM, key, secret, certificate or storage account to see its properties.'));
}
