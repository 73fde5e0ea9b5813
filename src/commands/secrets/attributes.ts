import * as vscode from 'vscode';
import type { AttributesUpdate } from '../../keyvault/models/common';
import type { UpdateSecretOptions } from '../../keyvault/models/secrets';
import type { ObjectView } from '../../tree/model/objectView';
import { BACK } from '../pickers';
import { refreshSecrets, vaultHost, withProgress, type SecretCommandContext } from './context';
import { currentVersionView, describeRef, listVersions, managedMessage, resolveSecret, vaultLabel, type SecretRef } from './target';
import { checkDateOrder, formatDate, formatDateInput, formatTags, parseDateInput, parseTags } from './validation';

interface AttributeDraft {
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  contentType: string;
  tags: Record<string, string>;
}

type Field = 'save' | 'enabled' | 'notBefore' | 'expiresOn' | 'contentType' | 'tags';
type FieldItem = vscode.QuickPickItem & { field: Field };

function draftOf(v: ObjectView): AttributeDraft {
  return { enabled: v.enabled, ...(v.notBefore ? { notBefore: v.notBefore } : {}), ...(v.expiresOn ? { expiresOn: v.expiresOn } : {}), contentType: v.contentType ?? '', tags: { ...v.tags } };
}

const sameDate = (a?: Date, b?: Date): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Only what changed goes in the PATCH; a cleared date is sent as null. */
export function attributeChanges(before: AttributeDraft, after: AttributeDraft): UpdateSecretOptions | undefined {
  const attributes: AttributesUpdate = {};
  if (before.enabled !== after.enabled) attributes.enabled = after.enabled;
  if (!sameDate(before.notBefore, after.notBefore)) attributes.notBefore = after.notBefore ?? null;
  if (!sameDate(before.expiresOn, after.expiresOn)) attributes.expiresOn = after.expiresOn ?? null;
  const update: UpdateSecretOptions = {};
  if (Object.keys(attributes).length) update.attributes = attributes;
  if (before.contentType !== after.contentType) update.contentType = after.contentType;
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) update.tags = after.tags;
  return Object.keys(update).length ? update : undefined;
}

/** The metadata of the version a command is about: the version node's, else the current version's. */
async function currentView(ref: SecretRef): Promise<ObjectView> {
  if (ref.version && ref.view?.version === ref.version) return ref.view;
  const match = await withProgress(vscode.l10n.t('Reading {0}…', ref.name), async (signal) =>
    ref.version ? (await listVersions(ref, signal)).find((v) => v.version === ref.version) : currentVersionView(ref, signal),
  );
  if (!match) throw new Error(vscode.l10n.t('{0} was not found in {1}.', describeRef(ref), vaultLabel(ref)));
  // The list item of the secret carries its tags and content type; keep the version's own.
  return match;
}

/**
 * Edit Attributes…: enabled, activation, expiry, content type and tags of a secret's current version (or of the
 * version node it was run on). A field list to pick from and change; Save sends one PATCH with what changed.
 * Certificate-backed (managed) secrets are read-only: the command says why instead.
 */
export async function editAttributes(c: SecretCommandContext, arg: unknown): Promise<void> {
  const ref = await resolveSecret(c, arg, { title: vscode.l10n.t('Edit Secret Attributes') });
  if (ref.view?.managed) {
    void c.prompts.message({ kind: 'info', modal: true, text: vscode.l10n.t('{0} is read-only here.', ref.name), detail: managedMessage(ref.name) });
    return;
  }
  const view = await currentView(ref);
  if (view.managed) {
    void c.prompts.message({ kind: 'info', modal: true, text: vscode.l10n.t('{0} is read-only here.', ref.name), detail: managedMessage(ref.name) });
    return;
  }
  const before = draftOf(view);
  const d = draftOf(view);
  const title = vscode.l10n.t('Edit Attributes of {0}', ref.version ? describeRef(ref) : vscode.l10n.t('{0} (current version)', ref.name));
  for (;;) {
    const changes = attributeChanges(before, d);
    const mark = (changed: boolean) => (changed ? ' $(circle-filled)' : '');
    const items: FieldItem[] = [
      { label: changes ? vscode.l10n.t('$(check) Save Changes') : vscode.l10n.t('$(close) Nothing Changed'), description: changes ? undefined : vscode.l10n.t('pick a field below to change it'), field: 'save' },
      { label: '', kind: vscode.QuickPickItemKind.Separator, field: 'save' },
      { label: vscode.l10n.t('Enabled') + mark(before.enabled !== d.enabled), description: d.enabled ? vscode.l10n.t('yes — pick to disable') : vscode.l10n.t('no — pick to enable'), field: 'enabled' },
      { label: vscode.l10n.t('Activation date') + mark(!sameDate(before.notBefore, d.notBefore)), description: formatDate(d.notBefore) || vscode.l10n.t('none (active at once)'), field: 'notBefore' },
      { label: vscode.l10n.t('Expiry date') + mark(!sameDate(before.expiresOn, d.expiresOn)), description: formatDate(d.expiresOn) || vscode.l10n.t('none (never expires)'), field: 'expiresOn' },
      { label: vscode.l10n.t('Content type') + mark(before.contentType !== d.contentType), description: d.contentType || vscode.l10n.t('none'), field: 'contentType' },
      { label: vscode.l10n.t('Tags') + mark(JSON.stringify(before.tags) !== JSON.stringify(d.tags)), description: formatTags(d.tags) || vscode.l10n.t('none'), field: 'tags' },
    ];
    const picked = await c.prompts.pick<FieldItem>({ title, placeholder: vscode.l10n.t('Pick a field to change, then Save Changes'), items, matchOnDescription: false });
    if (picked === undefined || picked === BACK) throw new vscode.CancellationError();
    const sub = { title, canGoBack: true };
    switch (picked.field) {
      case 'save': {
        if (!changes) return;
        const order = checkDateOrder(d.notBefore, d.expiresOn);
        if (order) {
          void c.prompts.message({ kind: 'warning', text: order });
          continue;
        }
        const version = ref.version ?? view.version ?? '';
        const updated = await withProgress(vscode.l10n.t('Saving the attributes of {0}…', ref.name), (signal) =>
          ref.session.service.secrets.update(ref.vaultUrl, ref.name, version, { ...changes, abortSignal: signal }),
        );
        c.log.info(`Updated attributes (${Object.keys(changes.attributes ?? {}).concat(Object.keys(changes).filter((k) => k !== 'attributes')).join(', ')}) of secret ${ref.name} version ${updated.version ?? version} in ${vaultHost(ref.vaultUrl)}`);
        await refreshSecrets(c, ref.vaultUrl);
        void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the attributes of {0}.', describeRef({ ...ref, ...(updated.version ? { version: updated.version } : {}) })) });
        return;
      }
      case 'enabled':
        d.enabled = !d.enabled;
        continue;
      case 'contentType': {
        const v = await c.prompts.input({ ...sub, prompt: vscode.l10n.t('Content type (empty for none)'), value: d.contentType, validate: (t) => (t.length > 255 ? vscode.l10n.t('At most 255 characters.') : undefined) });
        if (typeof v === 'string') d.contentType = v.trim();
        continue;
      }
      case 'tags': {
        const v = await c.prompts.input({ ...sub, prompt: vscode.l10n.t('Tags: name=value pairs separated by commas (empty for none)'), placeholder: 'env=prod, owner=data-team', value: formatTags(d.tags), validate: (t) => { const p = parseTags(t); return p.ok ? undefined : p.error; } });
        if (typeof v === 'string') {
          const p = parseTags(v);
          if (p.ok) d.tags = p.value;
        }
        continue;
      }
      case 'notBefore':
      case 'expiresOn': {
        const isExpiry = picked.field === 'expiresOn';
        const v = await c.prompts.input({
          ...sub,
          prompt: isExpiry ? vscode.l10n.t('Expiry (UTC): 2026-12-31, 2026-12-31T18:00, or +90d / +1y.') : vscode.l10n.t('Activation (UTC): 2026-01-31, 2026-01-31T09:00, or +7d.'),
          value: formatDateInput(isExpiry ? d.expiresOn : d.notBefore),
          validate: (t) => {
            const p = parseDateInput(t, Date.now());
            if (!p.ok) return p.error;
            // Key Vault keeps a date once set (PATCH ignores a null date): it can move, not go away.
            if (p.value === undefined && (isExpiry ? before.expiresOn : before.notBefore)) {
              return isExpiry
                ? vscode.l10n.t('Key Vault cannot remove an expiry date once set: enter a later date, or create a new version without one.')
                : vscode.l10n.t('Key Vault cannot remove an activation date once set: enter an earlier date, or create a new version without one.');
            }
            return isExpiry ? checkDateOrder(d.notBefore, p.value) : checkDateOrder(p.value, d.expiresOn);
          },
        });
        if (typeof v === 'string') {
          const p = parseDateInput(v, Date.now());
          if (p.ok) {
            if (isExpiry) d.expiresOn = p.value;
            else d.notBefore = p.value;
          }
        }
        continue;
      }
    }
  }
}

/** Enable or Disable: one PATCH on the version (or the current version), no prompts. */
export async function setEnabled(c: SecretCommandContext, arg: unknown, enabled: boolean): Promise<void> {
  const title = enabled ? vscode.l10n.t('Enable Secret Version') : vscode.l10n.t('Disable Secret Version');
  const ref = await resolveSecret(c, arg, { title, pickVersion: true, includeManaged: false });
  if (ref.view?.managed) throw new Error(managedMessage(ref.name));
  const version = ref.version ?? ref.view?.version ?? '';
  const updated = await withProgress(enabled ? vscode.l10n.t('Enabling {0}…', describeRef(ref)) : vscode.l10n.t('Disabling {0}…', describeRef(ref)), (signal) =>
    ref.session.service.secrets.update(ref.vaultUrl, ref.name, version, { attributes: { enabled }, abortSignal: signal }),
  );
  const label = describeRef({ ...ref, ...(updated.version ? { version: updated.version } : {}) });
  c.log.info(`${enabled ? 'Enabled' : 'Disabled'} secret ${ref.name} version ${updated.version ?? version} in ${vaultHost(ref.vaultUrl)}`);
  await refreshSecrets(c, ref.vaultUrl);
  void c.prompts.message({
    kind: 'info',
    text: enabled ? vscode.l10n.t('Enabled {0}.', label) : vscode.l10n.t('Disabled {0}: Key Vault no longer returns its value until it is enabled again.', label),
  });
}
