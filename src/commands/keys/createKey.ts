import * as vscode from 'vscode';
import { AES_KEY_SIZES, KEY_CURVES, RSA_KEY_SIZES, type CreateKeyOptions, type KeyVaultKey } from '../../keyvault/models/keys';
import type { CreateKeyPanels } from '../../webviews/createKey/createKeyPanel';
import { describeNewKey, validateKeyName } from '../../webviews/createKey/form';
import type { CreateKeyFormData } from '../../webviews/createKey/protocol';
import { BACK, runWizard, type WizardStep } from '../pickers';
import { KeyCommandIds } from './keyCommandIds';
import { refreshKeys, withProgress, type KeyCommandContext } from './context';
import { containerFromArgument, pickKeyContainer, type ContainerTarget } from './targets';

interface TypeChoice extends vscode.QuickPickItem {
  options?: CreateKeyOptions;
  more?: boolean;
}

/** The quick input's key types for a vault or an HSM: the common ones first, the form for everything else. */
export function typeChoices(kind: 'vault' | 'hsm'): TypeChoice[] {
  const hsm = kind === 'hsm';
  const suffix = hsm ? '-HSM' : '';
  const items: TypeChoice[] = [];
  items.push({ label: 'RSA', kind: vscode.QuickPickItemKind.Separator });
  for (const size of RSA_KEY_SIZES) {
    items.push({ label: `RSA ${size}`, description: size === 2048 ? vscode.l10n.t('recommended · sign, verify, encrypt, decrypt, wrap, unwrap') : undefined, options: { kty: `RSA${suffix}` as 'RSA' | 'RSA-HSM', keySize: size } });
  }
  items.push({ label: 'EC', kind: vscode.QuickPickItemKind.Separator });
  for (const curve of KEY_CURVES) {
    items.push({ label: `EC ${curve}`, description: curve === 'P-256' ? vscode.l10n.t('sign and verify (ES256)') : curve === 'P-256K' ? 'secp256k1 (ES256K)' : undefined, options: { kty: `EC${suffix}` as 'EC' | 'EC-HSM', curve } });
  }
  if (hsm) {
    items.push({ label: 'AES', kind: vscode.QuickPickItemKind.Separator });
    for (const size of AES_KEY_SIZES) items.push({ label: `AES ${size}`, description: size === 256 ? vscode.l10n.t('encrypt, decrypt, wrap, unwrap') : undefined, options: { kty: 'oct-HSM', keySize: size } });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    label: vscode.l10n.t('$(settings) More options…'),
    detail: hsm ? vscode.l10n.t('Operations, exportable with a release policy, tags, activation and expiry') : vscode.l10n.t('HSM protection (Premium), operations, tags, activation and expiry'),
    more: true,
  });
  return items;
}

/** Asks before a create that would add a version to an existing key. */
async function confirmNewVersion(c: KeyCommandContext, target: ContainerTarget, name: string, options: CreateKeyOptions): Promise<boolean> {
  const existing = await target.session.service.keys.get(target.url, name).then(
    (k) => k,
    () => undefined,
  );
  if (!existing) return true;
  const action = vscode.l10n.t('Create New Version');
  const choice = await c.prompts.message({
    kind: 'warning',
    modal: true,
    text: vscode.l10n.t('Key {0} already exists in {1}.', name, target.name),
    detail: vscode.l10n.t('Creating it again adds a new version ({0}); applications that use the key without a version switch to it.', describeNewKey(options)),
    actions: [action],
  });
  return choice === action;
}

/** After any create or import: the tree reloads the key list, and the user can go straight to using the key. */
export function announceKey(c: KeyCommandContext, target: Pick<ContainerTarget, 'url' | 'name'>, key: KeyVaultKey, verb: string, what: string): void {
  void refreshKeys(c, target.url, { listing: true, names: [key.name] });
  const sign = vscode.l10n.t('Sign / Verify…');
  const encrypt = vscode.l10n.t('Encrypt / Decrypt…');
  const copy = vscode.l10n.t('Copy Identifier');
  const actions = [...(key.keyOps.includes('sign') ? [sign] : []), ...(key.keyOps.includes('encrypt') ? [encrypt] : []), copy];
  void c.prompts.message({ kind: 'info', text: vscode.l10n.t('{0} key {1} ({2}) in {3}.', verb, key.name, what, target.name), actions }).then(async (choice) => {
    if (choice === sign) await vscode.commands.executeCommand(KeyCommandIds.signVerify, key.id);
    else if (choice === encrypt) await vscode.commands.executeCommand(KeyCommandIds.encryptDecrypt, key.id);
    else if (choice === copy) await vscode.commands.executeCommand(KeyCommandIds.copyKeyIdentifier, key.id);
  });
}

interface CreateState {
  container?: ContainerTarget;
  name?: string;
  choice?: TypeChoice;
}

/**
 * `Create Key…`: vault or HSM → name → type (RSA sizes, EC curves, AES on HSMs). "More options…" continues in the
 * Create Key form with the name filled in. Returns the key, or undefined when the form took over.
 */
export async function createKey(c: KeyCommandContext, panels: CreateKeyPanels, arg?: unknown): Promise<KeyVaultKey | undefined> {
  const title = vscode.l10n.t('Create Key');
  const given = await containerFromArgument(arg, c);
  const state: CreateState = given ? { container: given } : {};
  const steps: WizardStep<CreateState>[] = [
    {
      skip: () => given !== undefined,
      async run(s, info) {
        const picked = await pickKeyContainer(c, title, ['vault', 'hsm'], info);
        if (picked === undefined || picked === BACK) return picked;
        s.container = picked;
        return 'next';
      },
    },
    {
      async run(s, info) {
        const name = await c.prompts.input({
          ...info,
          title: vscode.l10n.t('Create Key in {0}', s.container!.name),
          prompt: vscode.l10n.t('Key name: letters, digits and dashes'),
          placeholder: 'my-signing-key',
          value: s.name ?? '',
          validate: (v) => validateKeyName(v.trim()),
        });
        if (name === undefined || name === BACK) return name;
        s.name = name.trim();
        return 'next';
      },
    },
    {
      async run(s, info) {
        const picked = await c.prompts.pick<TypeChoice>({
          ...info,
          title: vscode.l10n.t('Create Key {0}', s.name!),
          placeholder: s.container!.kind === 'hsm' ? vscode.l10n.t('Key type (Managed HSM keys are hardware-protected)') : vscode.l10n.t('Key type (software-protected; HSM protection under More options)'),
          items: typeChoices(s.container!.kind),
        });
        if (picked === undefined || picked === BACK) return picked;
        s.choice = picked;
        return 'next';
      },
    },
  ];
  if (!(await runWizard(steps, state))) throw new vscode.CancellationError();
  const target = state.container!;
  const name = state.name!;
  if (state.choice!.more) {
    const prefill: Partial<CreateKeyFormData> = { name };
    panels.open(target, prefill);
    return undefined;
  }
  const options = state.choice!.options!;
  if (!(await confirmNewVersion(c, target, name, options))) throw new vscode.CancellationError();
  const key = await withProgress(vscode.l10n.t('Creating key {0}…', name), (signal) => target.session.service.keys.create(target.url, name, { ...options, abortSignal: signal }));
  c.log.info(`Created key ${name} (${describeNewKey(options)}) in ${new URL(target.url).host}`);
  await c.recent.touch({ url: target.url, name: target.name, kind: target.kind });
  announceKey(c, target, key, vscode.l10n.t('Created'), describeNewKey(options));
  return key;
}

/** `Create Key (All Options)…`: the form straight away. */
export async function createKeyWithOptions(c: KeyCommandContext, panels: CreateKeyPanels, arg?: unknown): Promise<void> {
  const given = await containerFromArgument(arg, c);
  const target = given ?? (await pickKeyContainer(c, vscode.l10n.t('Create Key'), ['vault', 'hsm']));
  if (target === undefined || target === BACK) throw new vscode.CancellationError();
  await c.recent.touch({ url: target.url, name: target.name, kind: target.kind });
  panels.open(target);
}
