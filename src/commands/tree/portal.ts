import * as vscode from 'vscode';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';

const ASSET: Record<string, string> = { secrets: 'Secret', keys: 'Key', certificates: 'Certificate' };

/** The portal page of a vault, HSM or object, in the portal of the session's cloud. */
export function portalUrl(node: unknown): string | undefined {
  if (node instanceof ContainerNode) {
    const d = node.ref.discovered;
    if (!d) return undefined;
    return `${node.session.cloud.portalUrl}/#@${d.tenantId ?? ''}/resource${d.resourceId}`;
  }
  if (node instanceof ObjectNode) {
    if (node.session.cloud.id === 'Custom' || !ASSET[node.view.family] || node.kind === 'deleted') return undefined;
    return `${node.session.cloud.portalUrl}/#@/asset/Microsoft_Azure_KeyVault/${ASSET[node.view.family]}/${node.view.id}`;
  }
  return undefined;
}

export async function openInPortal(node: unknown): Promise<void> {
  const url = portalUrl(node);
  if (!url) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This item has no Azure portal page (vaults added by URL on a custom endpoint, and the local emulator, are not in the portal).'));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
}
