import * as vscode from 'vscode';
import type { AttributesUpdate } from '../../keyvault/models/common';
import type { KeyOperation, KeyVaultKey, UpdateKeyOptions } from '../../keyvault/models/keys';
import { ALLOWED_OPS } from '../../webviews/createKey/form';
import { BACK } from '../pickers';
import { errorText, hostOf, refreshKeys, withProgress, type KeyCommandContext } from './context';
import { describeKey, resolveKey } from './targets';

type Choice = vscode.QuickPickItem & { id?: 'ops' | 'nbf' | 'exp' | 'tags' | 'save' | 'close' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/;

/** `2026-12-31` or `2026-12-31 18:00` (UTC) → a Date; '' → null (no date); anything else → a message. */
export function parseUtcDate(text: string): Date | null | string {
  const t = text.trim();
  if (!t) return null;
  const m = DATE.exec(t);
  if (!m) return vscode.l10n.t('Write a date as YYYY-MM-DD, optionally with a time HH:MM (UTC); empty for none.');
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)));
  // Date.UTC rolls over (month 13 is next January): only a date that reads back the same is real.
  const same = d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]) && d.getUTCHours() === Number(m[4] ?? 0) && d.getUTCMinutes() === Number(m[5] ?? 0);
  if (Number.isNaN(d.getTime()) || !same) return vscode.l10n.t('{0} is not a date.', t);
  return d;
}

const showDate = (d: Date | null | undefined): string => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : vscode.l10n.t('none'));

/** Tags typed as `env=prod, team=payments`; '' for none. */
export function parseTagText(text: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const raw of text.split(',')) {
    const pair = raw.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    if (!name) return vscode.l10n.t("'{0}' has no tag name before '='.", pair);
    if (Object.prototype.hasOwnProperty.call(tags, name)) return vscode.l10n.t('Tag {0} appears twice.', name);
    tags[name] = eq === -1 ? '' : pair.slice(eq + 1).trim();
  }
  if (Object.keys(tags).length > 15) return vscode.l10n.t('A key has at most 15 tags.');
  return tags;
}

const tagText = (tags: Record<string, string>): string => Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');

interface Draft {
  keyOps: KeyOperation[];
  notBefore: Date | null;
  expiresOn: Date | null;
  tags: Record<string, string>;
}

const draftOf = (k: KeyVaultKey): Draft => ({ keyOps: [...k.keyOps], notBefore: k.attributes.notBefore ?? null, expiresOn: k.attributes.expiresOn ?? null, tags: { ...k.tags } });

/** What changed, as one PATCH. */
export function changesOf(before: Draft, after: Draft): UpdateKeyOptions {
  const update: UpdateKeyOptions = {};
  if ([...before.keyOps].sort().join() !== [...after.keyOps].sort().join()) update.keyOps = after.keyOps;
  const attributes: AttributesUpdate = {};
  if ((before.notBefore?.getTime() ?? null) !== (after.notBefore?.getTime() ?? null)) attributes.notBefore = after.notBefore;
  if ((before.expiresOn?.getTime() ?? null) !== (after.expiresOn?.getTime() ?? null)) attributes.expiresOn = after.expiresOn;
  if (Object.keys(attributes).length) update.attributes = attributes;
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) update.tags = after.tags;
  return update;
}

async function editOperations(c: KeyCommandContext, draft: Draft, key: KeyVaultKey): Promise<void> {
  const family = key.keyType.replace(/-HSM$/, '') as keyof typeof ALLOWED_OPS;
  const allowed = ALLOWED_OPS[family] ?? [];
  for (;;) {
    const picked = await c.prompts.pick<vscode.QuickPickItem & { op?: KeyOperation }>({
      title: vscode.l10n.t('Permitted operations of {0}', key.name),
      placeholder: vscode.l10n.t('Pick an operation to turn it on or off; Done when finished'),
      items: [
        ...allowed.map((op) => ({ label: `${draft.keyOps.includes(op) ? '$(check)' : '$(circle-large-outline)'} ${op}`, description: draft.keyOps.includes(op) ? vscode.l10n.t('permitted') : '', op })),
        { label: vscode.l10n.t('$(arrow-left) Done') },
      ],
    });
    if (picked === undefined || picked === BACK || !picked.op) return;
    const op = picked.op;
    draft.keyOps = draft.keyOps.includes(op) ? draft.keyOps.filter((o) => o !== op) : [...draft.keyOps, op];
  }
}

async function editDate(c: KeyCommandContext, title: string, current: Date | null): Promise<Date | null | undefined> {
  const text = await c.prompts.input({
    title,
    prompt: vscode.l10n.t('YYYY-MM-DD or YYYY-MM-DD HH:MM in UTC; empty for none'),
    value: current ? current.toISOString().slice(0, 16).replace('T', ' ') : '',
    validate: (v) => {
      const d = parseUtcDate(v);
      return typeof d === 'string' ? d : undefined;
    },
  });
  if (text === undefined || text === BACK) return undefined;
  const d = parseUtcDate(text);
  return typeof d === 'string' ? undefined : d;
}

/**
 * `Edit Key Attributes…`: permitted operations, activation and expiry, tags of one version (the current one from a
 * key). One PATCH with what changed. Keys that back a certificate are read-only (Key Vault manages them).
 */
export async function editKeyAttributes(c: KeyCommandContext, arg: unknown): Promise<KeyVaultKey | undefined> {
  const ref = await resolveKey(c, arg, { title: vscode.l10n.t('Edit Key Attributes'), pickVersion: true });
  if (ref.view?.managed) throw new Error(vscode.l10n.t('Key {0} backs a certificate: Key Vault manages its attributes. Change the certificate instead.', ref.name));
  const key = await withProgress(vscode.l10n.t('Reading {0}…', describeKey(ref)), (signal) => ref.session.service.keys.get(ref.vaultUrl, ref.name, ref.version, { abortSignal: signal }));
  if (key.managed) throw new Error(vscode.l10n.t('Key {0} backs a certificate: Key Vault manages its attributes. Change the certificate instead.', ref.name));
  const saved = draftOf(key);
  const draft = draftOf(key);
  for (;;) {
    const changes = changesOf(saved, draft);
    const changed = Object.keys(changes).length > 0;
    const problem =
      draft.keyOps.length === 0
        ? vscode.l10n.t('Permit at least one operation.')
        : draft.notBefore && draft.expiresOn && draft.notBefore.getTime() >= draft.expiresOn.getTime()
          ? vscode.l10n.t('The expiration must come after the activation.')
          : undefined;
    const items: Choice[] = [
      { label: `$(symbol-event) ${vscode.l10n.t('Operations: {0}', draft.keyOps.join(', ') || vscode.l10n.t('none'))}`, id: 'ops' },
      { label: `$(calendar) ${vscode.l10n.t('Activation: {0}', showDate(draft.notBefore))}`, id: 'nbf' },
      { label: `$(calendar) ${vscode.l10n.t('Expiration: {0}', showDate(draft.expiresOn))}`, id: 'exp' },
      { label: `$(tag) ${vscode.l10n.t('Tags: {0}', tagText(draft.tags) || vscode.l10n.t('none'))}`, id: 'tags' },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...(changed ? [{ label: problem ? vscode.l10n.t('$(error) Save') : vscode.l10n.t('$(check) Save'), detail: problem ?? Object.keys(changes).join(', '), id: 'save' as const }] : []),
      { label: changed ? vscode.l10n.t('$(close) Discard Changes') : vscode.l10n.t('$(close) Close'), id: 'close' },
    ];
    const picked = await c.prompts.pick<Choice>({ title: vscode.l10n.t('Attributes of {0}{1}', describeKey({ name: key.name, ...(key.version ? { version: key.version } : {}) }), changed ? vscode.l10n.t(' (changed)') : ''), items });
    if (picked === undefined || picked === BACK || picked.id === 'close') return undefined;
    switch (picked.id) {
      case 'ops':
        await editOperations(c, draft, key);
        break;
      case 'nbf': {
        const d = await editDate(c, vaultDateTitle('Activation', key.name), draft.notBefore);
        if (d !== undefined) draft.notBefore = d;
        break;
      }
      case 'exp': {
        const d = await editDate(c, vaultDateTitle('Expiration', key.name), draft.expiresOn);
        if (d !== undefined) draft.expiresOn = d;
        break;
      }
      case 'tags': {
        const text = await c.prompts.input({
          title: vscode.l10n.t('Tags of {0}', key.name),
          prompt: vscode.l10n.t('name=value pairs separated by commas; empty for none'),
          value: tagText(draft.tags),
          validate: (v) => {
            const t = parseTagText(v);
            return typeof t === 'string' ? t : undefined;
          },
        });
        if (text !== undefined && text !== BACK) {
          const t = parseTagText(text);
          if (typeof t !== 'string') draft.tags = t;
        }
        break;
      }
      case 'save': {
        if (problem) {
          await c.prompts.message({ kind: 'error', text: problem });
          break;
        }
        try {
          const updated = await withProgress(vscode.l10n.t('Saving {0}…', describeKey(ref)), (signal) => ref.session.service.keys.update(key.vaultUrl, key.name, key.version ?? '', { ...changes, abortSignal: signal }));
          c.log.info(`Updated ${Object.keys(changes).join(', ')} of key ${key.name} version ${key.version ?? ''} in ${hostOf(key.vaultUrl)}`);
          await refreshKeys(c, key.vaultUrl, { listing: true, names: [key.name] });
          void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the attributes of {0}.', key.name) });
          return updated;
        } catch (err) {
          if (err instanceof vscode.CancellationError) break;
          await c.prompts.message({ kind: 'error', text: errorText(err) });
        }
        break;
      }
    }
  }
}

function vaultDateTitle(what: 'Activation' | 'Expiration', name: string): string {
  return what === 'Activation' ? vscode.l10n.t('Activation of {0} (not before)', name) : vscode.l10n.t('Expiration of {0}', name);
}
