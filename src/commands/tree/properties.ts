import * as vscode from 'vscode';
import type { ObjectView } from '../../tree/model/objectView';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';

export const PROPERTIES_SCHEME = 'keyvault-properties';

/**
 * Read-only JSON documents with an object's metadata (never a value: they are built from ObjectView, which has no
 * value field). Held in memory only, dropped when the document closes, so nothing lands on disk.
 */
export class PropertiesDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly closed: vscode.Disposable;

  constructor() {
    this.closed = vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === PROPERTIES_SCHEME) this.docs.delete(doc.uri.toString());
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '{}';
  }

  get size(): number {
    return this.docs.size;
  }

  async open(title: string, key: string, content: unknown): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: PROPERTIES_SCHEME, path: `/${title.replace(/[/\\]/g, '_')}.json`, query: `id=${encodeURIComponent(key)}` });
    this.docs.set(uri.toString(), `${JSON.stringify(content, null, 2)}\n`);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.closed.dispose();
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

/** The name of the vault node above, for the document title ("db-password (kv-demo)"). */
function vaultName(node: TreeNode): string | undefined {
  for (let n: TreeNode | undefined = node; n; n = (n as { parent?: TreeNode }).parent) if (n instanceof ContainerNode) return n.ref.name;
  return undefined;
}

/** `Show Properties` on a vault, HSM, or object node. */
export async function showProperties(docs: PropertiesDocuments, node: ContainerNode | ObjectNode): Promise<vscode.TextEditor> {
  if (node instanceof ObjectNode) {
    const v = node.view;
    const name = node.kind === 'version' && v.version ? `${v.name} ${v.version.slice(0, 8)}` : node.kind === 'deleted' ? `${v.name} (deleted)` : v.name;
    const vault = vaultName(node) ?? new URL(v.vaultUrl).hostname.split('.')[0];
    return docs.open(`${name} · ${vault}`, node.id, objectProperties(v));
  }
  const r = node.ref;
  return docs.open(r.name, node.id, {
    kind: r.kind === 'hsm' ? 'Managed HSM' : 'Key Vault',
    name: r.name,
    url: r.url,
    pinned: Boolean(r.pinned),
    account: node.session.label,
    cloud: node.session.cloud.displayName,
    ...(r.discovered
      ? {
          resourceId: r.discovered.resourceId,
          subscriptionId: r.discovered.subscriptionId,
          resourceGroup: r.discovered.resourceGroup,
          location: r.discovered.location,
          tenantId: r.discovered.tenantId,
          rbacAuthorization: r.discovered.rbacAuthorization,
          softDeleteRetentionDays: r.discovered.softDeleteRetentionDays,
          publicNetworkAccess: r.discovered.publicNetworkAccess,
          sku: r.discovered.sku,
        }
      : {}),
  });
}
