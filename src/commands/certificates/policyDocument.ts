import * as vscode from 'vscode';
import type { AccountSession } from '../../accounts/types';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CertificatePolicy } from '../../keyvault/models/certificates';
import { hostOf } from './context';
import { editablePolicyJson, parseEditedPolicy } from './policyJson';

/** Policy documents live under this scheme, in memory: Save sends the policy to Key Vault, nothing goes to disk. */
export const POLICY_SCHEME = 'keyvault-certificate-policy';

export interface PolicySource {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly name: string;
}

interface Entry {
  source: PolicySource;
  content: Uint8Array;
  mtime: number;
}

/**
 * `keyvault-certificate-policy:/{vault host}/{name}.policy.json`: opening reads the policy from Key Vault, Save
 * checks it locally (the service layer's validator) and updates it. A failed save keeps the edits in the editor and
 * says what is wrong.
 */
export class PolicyFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly saved = new vscode.EventEmitter<PolicySource>();
  readonly onDidSave = this.saved.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  uriFor(source: PolicySource): vscode.Uri {
    return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/${hostOf(source.vaultUrl)}/${source.name}.policy.json` });
  }

  /** Reads the policy now (errors reach the caller before an editor opens). */
  async load(source: PolicySource, signal?: AbortSignal): Promise<vscode.Uri> {
    const uri = this.uriFor(source);
    const policy = await source.session.service.certificates.getPolicy(source.vaultUrl, source.name, signal ? { abortSignal: signal } : undefined);
    this.entries.set(uri.toString(), { source, content: new TextEncoder().encode(editablePolicyJson(policy)), mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return uri;
  }

  private entry(uri: vscode.Uri): Entry {
    const e = this.entries.get(uri.toString());
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return e;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entries.get(uri.toString());
    if (e) return { type: vscode.FileType.File, ctime: e.mtime, mtime: e.mtime, size: e.content.byteLength };
    // The vault folder of open policies exists too: VS Code checks the parent before writing.
    const folder = `${uri.path.replace(/\/$/, '')}/`;
    if ([...this.entries.values()].some((x) => this.uriFor(x.source).path.startsWith(folder))) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.entry(uri).content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const e = this.entry(uri);
    let policy: CertificatePolicy;
    try {
      policy = parseEditedPolicy(new TextDecoder().decode(content));
    } catch (err) {
      throw new Error(isKeyVaultError(err) ? err.userMessage : err instanceof Error ? err.message : String(err));
    }
    let updated: CertificatePolicy;
    try {
      updated = await e.source.session.service.certificates.updatePolicy(e.source.vaultUrl, e.source.name, policy);
    } catch (err) {
      throw new Error(isKeyVaultError(err) ? err.userMessage : err instanceof Error ? err.message : String(err));
    }
    this.log.info(`Updated the policy of certificate ${e.source.name} in ${hostOf(e.source.vaultUrl)}`);
    e.content = new TextEncoder().encode(editablePolicyJson(updated));
    e.mtime = Date.now();
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.saved.fire(e.source);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    // Nothing to create: folders are the vaults of open policies.
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete the certificate instead.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('A policy cannot be renamed.');
  }

  dispose(): void {
    this.entries.clear();
    this.changed.dispose();
    this.saved.dispose();
  }
}
