import * as vscode from 'vscode';
import { SecretCommandIds } from './secretCommandIds';
import { BACK, required } from '../pickers';
import { withProgress, type SecretCommandContext } from './context';
import { currentVersionView, describeRef, resolveSecret, type SecretRef } from './target';
import { keyVaultReference, secretIdentifier, type ReferenceForm } from './validation';
import { readSecretValue } from './value';

/** Copy Secret Value: the value goes to the clipboard only; the notification names the secret, never the value. */
export async function copyValue(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Copy Secret Value') });
  await copyValueOf(c, ref);
}

export async function copyValueOf(c: SecretCommandContext, ref: SecretRef): Promise<void> {
  const what = describeRef(ref);
  const secret = await withProgress(vscode.l10n.t('Reading {0}…', what), (signal) => readSecretValue(c, ref, vscode.l10n.t('to copy it'), signal));
  if (secret === 'edit-dates') {
    await vscode.commands.executeCommand(SecretCommandIds.editSecretAttributes, ref);
    return;
  }
  const { clearsInSeconds } = await c.clipboard.copySecret(secret.value, vscode.l10n.t('secret {0}', what));
  c.log.info(`Copied the value of secret ${ref.name}${ref.version ? ` version ${ref.version}` : ''} from ${new URL(ref.vaultUrl).host}${clearsInSeconds ? `; clearing in ${clearsInSeconds} s` : ''}`);
  const text = clearsInSeconds
    ? vscode.l10n.t('Copied the value of {0}. The clipboard is cleared in {1} s if it still holds it.', what, clearsInSeconds)
    : vscode.l10n.t('Copied the value of {0}. It stays on the clipboard (keyVault.clipboard.clearAfterSeconds is 0).', what);
  void c.prompts.message({ kind: 'info', text });
}

/** The id of a secret or version: the version node's own, else ask (palette) versionless or the current version. */
export async function copyIdentifier(c: SecretCommandContext, arg: unknown, versioned?: boolean): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Copy Secret Identifier') });
  let version = ref.version;
  if (!version && versioned !== false) {
    if (versioned === undefined) {
      const choice = required(
        await c.prompts.pick({
          title: vscode.l10n.t('Copy Secret Identifier'),
          placeholder: vscode.l10n.t('Which identifier of {0}?', ref.name),
          items: [
            { label: vscode.l10n.t('Without version'), description: vscode.l10n.t('always the current version'), detail: secretIdentifier(ref.vaultUrl, ref.name), versioned: false },
            { label: vscode.l10n.t('Current version'), description: vscode.l10n.t('pinned to the version that is current now'), versioned: true },
          ],
        }),
      );
      versioned = choice.versioned;
    }
    if (versioned) version = await currentVersion(ref);
  }
  const id = secretIdentifier(ref.vaultUrl, ref.name, version);
  await c.clipboard.copyText(id);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Copied {0}', id) });
}

async function currentVersion(ref: SecretRef): Promise<string> {
  if (ref.view?.version) return ref.view.version;
  const current = await withProgress(vscode.l10n.t('Reading the current version of {0}…', ref.name), (signal) => currentVersionView(ref, signal));
  if (!current?.version) throw new Error(vscode.l10n.t('{0} has no versions.', ref.name));
  return current.version;
}

const FORM_LABELS: Record<ReferenceForm, { label: string; description: string }> = {
  uri: { label: '@Microsoft.KeyVault(SecretUri=…/)', description: 'follows the current version' },
  'uri-versioned': { label: '@Microsoft.KeyVault(SecretUri=…/{version})', description: 'pinned to one version' },
  name: { label: '@Microsoft.KeyVault(VaultName=…;SecretName=…)', description: 'follows the current version' },
  'name-versioned': { label: '@Microsoft.KeyVault(VaultName=…;SecretName=…;SecretVersion=…)', description: 'pinned to one version' },
};

/**
 * An App Service / Functions app-setting reference. The VaultName forms exist only for vaults in a known cloud
 * (App Service adds its own cloud's suffix), so custom endpoints such as the emulator offer the SecretUri forms.
 */
export async function copyReference(c: SecretCommandContext, arg: unknown, form?: ReferenceForm): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Copy Key Vault Reference') });
  if (!form) {
    const forms: ReferenceForm[] = ['uri', 'uri-versioned', 'name', 'name-versioned'];
    const available = forms.filter((f) => keyVaultReference(f, ref.vaultUrl, ref.name, 'v') !== undefined);
    const picked = await c.prompts.pick({
      title: vscode.l10n.t('Copy Key Vault Reference'),
      placeholder: vscode.l10n.t('App Service / Functions reference to {0}', describeRef(ref)),
      items: available.map((f) => ({ ...FORM_LABELS[f], form: f, detail: f.endsWith('versioned') && ref.version ? vscode.l10n.t('version {0}', ref.version) : undefined })),
    });
    if (picked === BACK || picked === undefined) throw new vscode.CancellationError();
    form = picked.form;
  }
  const versioned = form === 'uri-versioned' || form === 'name-versioned';
  const version = versioned ? (ref.version ?? (await currentVersion(ref))) : undefined;
  const text = keyVaultReference(form, ref.vaultUrl, ref.name, version);
  if (!text) {
    throw new Error(vscode.l10n.t('{0} is not in a known Azure cloud, so App Service cannot find it by VaultName: use the SecretUri form.', new URL(ref.vaultUrl).host));
  }
  await c.clipboard.copyText(text);
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Copied {0}', text) });
}
