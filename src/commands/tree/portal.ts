import * as vscode from 'vscode';
import { ContainerNode } from '../../tree/nodes/ContainerNode';
import { ObjectNode } from '../../tree/nodes/ObjectNode';
import type { TreeNode } from '../../tree/TreeNode';
import { portalLink } from './portalLink';

/** The vault node an object sits under (its parents), when the tree built it. */
function containerOf(node: TreeNode | undefined): ContainerNode | undefined {
  for (let n: TreeNode | undefined = node; n; n = (n as { parent?: TreeNode }).parent) if (n instanceof ContainerNode) return n;
  return undefined;
}

/** The portal page of a vault, HSM or object node, in the portal of the session's cloud. */
export function portalUrl(node: unknown): string | undefined {
  if (node instanceof ContainerNode) {
    const d = node.ref.discovered;
    return portalLink({ cloud: node.session.cloud, containerKind: node.ref.kind, ...(d ? { resourceId: d.resourceId } : {}), ...(d?.tenantId ? { tenantId: d.tenantId } : {}) });
  }
  if (node instanceof ObjectNode) {
    const d = containerOf(node)?.ref.discovered;
    const kind = containerOf(node)?.ref.kind ?? (/\.managedhsm\./i.test(node.view.vaultUrl) ? 'hsm' : 'vault');
    return portalLink({
      cloud: node.session.cloud,
      containerKind: kind,
      ...(d ? { resourceId: d.resourceId } : {}),
      ...(d?.tenantId ? { tenantId: d.tenantId } : {}),
      object: { family: node.view.family, id: node.view.id, deleted: node.kind === 'deleted' },
    });
  }
  return undefined;
}

export async function openInPortal(node: ContainerNode | ObjectNode): Promise<string | undefined> {
  const url = portalUrl(node);
  if (!url) {
    void vscode.window.showInformationMessage(
      node.session.cloud.id === 'Custom'
        ? vscode.l10n.t('{0} has no Azure portal page: it is on a custom endpoint (the local emulator or a private cloud).', node instanceof ContainerNode ? node.ref.name : node.view.name)
        : node instanceof ContainerNode
          ? vscode.l10n.t('{0} was added by URL, so its Azure resource is unknown: select its subscription to see it in the portal.', node.ref.name)
          : vscode.l10n.t('{0} has no page of its own in the Azure portal.', node.view.name),
    );
    return undefined;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}
