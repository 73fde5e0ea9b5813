import * as vscode from 'vscode';
import { durationLabel } from '../../keyvault/crypto/duration';
import { publicKeyJwk, publicKeyToPem } from '../../keyvault/crypto/jwk';
import type { KeyRotationPolicy, KeyVaultKey } from '../../keyvault/models/keys';
import { keyDetail } from '../../webviews/crypto/operations';
import { required } from '../pickers';
import { defaultSaveUri, hostOf, withProgress, writeUserFile, type KeyCommandContext } from './context';
import { describeAction } from './rotation';
import { describeKey, resolveKey } from './targets';

export type PublicKeyFormat = 'pem' | 'jwk';

/** The public key as a file's text: PEM SubjectPublicKeyInfo, or a standard JWK (no private members, ever). */
export function publicKeyText(key: KeyVaultKey, format: PublicKeyFormat): string {
  if (key.keyType.startsWith('oct')) throw new Error(vscode.l10n.t('{0} is a symmetric (AES) key: it has no public key to download.', key.name));
  return format === 'pem' ? publicKeyToPem(key.key) : `${JSON.stringify(publicKeyJwk(key.key), null, 2)}\n`;
}

export interface DownloadArgs {
  key?: unknown;
  format?: PublicKeyFormat;
  file?: vscode.Uri;
}

/** `Download Public Key…`: PEM or JWK, for the chosen version; the save dialog proposes `<name>.pub.pem` / `.jwk.json`. */
export async function downloadPublicKey(c: KeyCommandContext, arg: unknown, options: Omit<DownloadArgs, 'key'> = {}): Promise<vscode.Uri> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Download Public Key'), pickVersion: true });
  const key = await withProgress(vscode.l10n.t('Reading {0}…', describeKey(ref)), (signal) => ref.session.service.keys.get(ref.vaultUrl, ref.name, ref.version, { abortSignal: signal }));
  if (key.keyType.startsWith('oct')) throw new Error(vscode.l10n.t('{0} is a symmetric (AES) key: it has no public key to download.', key.name));
  const format =
    options.format ??
    required(
      await c.prompts.pick<vscode.QuickPickItem & { format: PublicKeyFormat }>({
        title: vscode.l10n.t('Download the public key of {0}', describeKey(ref)),
        items: [
          { label: 'PEM', description: vscode.l10n.t('SubjectPublicKeyInfo (-----BEGIN PUBLIC KEY-----): OpenSSL, most libraries'), format: 'pem' },
          { label: 'JWK', description: vscode.l10n.t('JSON Web Key (RFC 7517): jose libraries, JWKS endpoints'), format: 'jwk' },
        ],
      }),
    ).format;
  const text = publicKeyText(key, format);
  const uri =
    options.file ??
    (await c.prompts.saveDialog({
      title: vscode.l10n.t('Save the public key of {0}', key.name),
      defaultUri: defaultSaveUri(format === 'pem' ? `${key.name}.pub.pem` : `${key.name}.jwk.json`),
      saveLabel: vscode.l10n.t('Save'),
      filters: format === 'pem' ? { PEM: ['pem'] } : { JSON: ['json', 'jwk'] },
    }));
  if (!uri) throw new vscode.CancellationError();
  await writeUserFile(uri, new TextEncoder().encode(text));
  c.log.info(`Saved the public key of ${key.name} version ${key.version ?? ''} as ${format.toUpperCase()}`);
  const open = vscode.l10n.t('Open');
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the public key of {0} ({1}) to {2}.', key.name, format.toUpperCase(), uri.fsPath || uri.toString()), actions: [open] }).then(async (choice) => {
    if (choice === open) await vscode.window.showTextDocument(uri);
  });
  return uri;
}

/** `Copy Key Identifier`: the versioned id for a version, the versionless one (follows rotation) for a key. */
export async function copyKeyIdentifier(c: KeyCommandContext, arg: unknown): Promise<string> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Copy Key Identifier') });
  const id = `${new URL(ref.vaultUrl).origin}/keys/${ref.name}${ref.version ? `/${ref.version}` : ''}`;
  await c.clipboard.copyText(id);
  c.log.debug(`Copied the identifier of key ${ref.name}`);
  void c.prompts.message({ kind: 'info', text: ref.version ? vscode.l10n.t('Copied the identifier of {0} (this version).', describeKey(ref)) : vscode.l10n.t('Copied the identifier of {0} (no version: follows rotation).', ref.name) });
  return id;
}

export const KEY_DETAILS_SCHEME = 'keyvault-key';

/** Read-only JSON documents with a key's public details; held in memory only and rebuilt on each open. */
export class KeyDetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '{}';
  }

  async open(title: string, id: string, content: unknown): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: KEY_DETAILS_SCHEME, path: `/${title}.json`, query: `id=${encodeURIComponent(id)}` });
    this.docs.set(uri.toString(), `${JSON.stringify(content, null, 2)}\n`);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.changed.dispose();
    this.docs.clear();
  }
}

/** Everything public about a key version, with readable durations: what Show Key Details displays. */
export function keyDetails(key: KeyVaultKey, policy: KeyRotationPolicy | undefined): Record<string, unknown> {
  const date = (d?: Date) => d?.toISOString();
  let releasePolicy: unknown;
  if (key.releasePolicy) {
    const text = new TextDecoder().decode(key.releasePolicy.encodedPolicy);
    try {
      releasePolicy = { contentType: key.releasePolicy.contentType, immutable: key.releasePolicy.immutable ?? false, policy: JSON.parse(text) as unknown };
    } catch {
      releasePolicy = { contentType: key.releasePolicy.contentType, immutable: key.releasePolicy.immutable ?? false, policy: text };
    }
  }
  return {
    kind: 'key',
    name: key.name,
    id: key.id,
    version: key.version,
    vault: hostOf(key.vaultUrl),
    type: `${key.keyType} (${keyDetail(key)})`,
    keySize: key.keySize,
    curve: key.curve,
    operations: key.keyOps,
    enabled: key.attributes.enabled,
    notBefore: date(key.attributes.notBefore),
    expiresOn: date(key.attributes.expiresOn),
    createdOn: date(key.attributes.createdOn),
    updatedOn: date(key.attributes.updatedOn),
    recoveryLevel: key.attributes.recoveryLevel,
    recoverableDays: key.attributes.recoverableDays,
    exportable: key.attributes.exportable,
    hsmPlatform: key.attributes.hsmPlatform,
    managed: key.managed || undefined,
    tags: key.tags,
    releasePolicy,
    rotationPolicy: policy
      ? {
          actions: policy.lifetimeActions.map((a) => ({ ...a, description: describeAction(a) })),
          expiryTime: policy.expiryTime ? `${policy.expiryTime} (${durationLabel(policy.expiryTime)})` : undefined,
          updatedOn: date(policy.updatedOn),
        }
      : undefined,
    publicKey: key.keyType.startsWith('oct') ? undefined : publicKeyJwk(key.key),
  };
}

/** `Show Key Details`: type, operations, dates, tags, release and rotation policies, and the public JWK. */
export async function showKeyDetails(c: KeyCommandContext, docs: KeyDetailsDocuments, arg: unknown): Promise<vscode.TextDocument> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Show Key Details'), pickVersion: true });
  const { key, policy } = await withProgress(vscode.l10n.t('Reading {0}…', describeKey(ref)), async (signal) => {
    const k = await ref.session.service.keys.get(ref.vaultUrl, ref.name, ref.version, { abortSignal: signal });
    // The policy needs its own permission (rotationpolicy/get): leave it out rather than fail the whole view.
    const p = await ref.session.service.keys.getRotationPolicy(ref.vaultUrl, ref.name, { abortSignal: signal }).catch(() => undefined);
    return { key: k, policy: p };
  });
  return docs.open(ref.version ? `${key.name}-${(key.version ?? '').slice(0, 8)}` : key.name, key.id, keyDetails(key, policy));
}
