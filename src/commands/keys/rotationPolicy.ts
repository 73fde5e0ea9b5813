import * as vscode from 'vscode';
import { durationLabel } from '../../keyvault/crypto/duration';
import type { KeyRotationLifetimeAction, KeyRotationPolicy } from '../../keyvault/models/keys';
import { BACK } from '../pickers';
import { errorText, hostOf, withProgress, type KeyCommandContext } from './context';
import { checkPolicyDraft, describeAction, describePolicy, labelled, normalizeDuration, validateDuration, type PolicyDraft } from './rotation';
import { resolveKey, type KeyRef } from './targets';

type Choice = vscode.QuickPickItem & { id?: 'expiry' | 'rotate' | 'notify' | 'save' | 'close' | 'removeExpiry' };

const PRESETS: Record<'expiry' | 'rotate' | 'notify', string[]> = {
  expiry: ['P90D', 'P6M', 'P1Y', 'P2Y'],
  rotate: ['P30D', 'P90D', 'P6M', 'P1Y'],
  notify: ['P7D', 'P14D', 'P30D', 'P60D'],
};

const MINIMUM_DAYS = { expiry: 28, rotate: 7, notify: 7 } as const;

/** A duration from presets ("90 days · P90D") or typed; undefined to leave it as it was. */
async function pickDuration(c: KeyCommandContext, title: string, kind: 'expiry' | 'rotate' | 'notify', current: string | undefined): Promise<string | undefined> {
  const custom = vscode.l10n.t('$(edit) Custom…');
  const picked = await c.prompts.pick<vscode.QuickPickItem & { value?: string }>({
    title,
    placeholder: current ? vscode.l10n.t('Now {0}', labelled(current)) : vscode.l10n.t('Choose a duration'),
    items: [
      ...PRESETS[kind].map((p) => ({ label: durationLabel(p), description: p, value: p, picked: p === current })),
      { label: custom, description: vscode.l10n.t('an ISO 8601 duration such as P45D or P1Y6M') },
    ],
  });
  if (picked === undefined || picked === BACK) return undefined;
  if (picked.value) return picked.value;
  const typed = await c.prompts.input({
    title,
    prompt: vscode.l10n.t('ISO 8601 duration (P90D, P3M, P1Y6M) or 90d / 3 months; at least {0} days', MINIMUM_DAYS[kind]),
    value: current ?? '',
    validate: (v) => validateDuration(v, MINIMUM_DAYS[kind], kind === 'expiry' ? vscode.l10n.t('Expiry') : kind === 'rotate' ? vscode.l10n.t('Rotation time') : vscode.l10n.t('Notification time')),
  });
  if (typed === undefined || typed === BACK) return undefined;
  return normalizeDuration(typed);
}

function actionOf(draft: PolicyDraft, action: 'Rotate' | 'Notify'): KeyRotationLifetimeAction | undefined {
  return draft.lifetimeActions.find((a) => a.action === action);
}

function setAction(draft: PolicyDraft, next: KeyRotationLifetimeAction | undefined, action: 'Rotate' | 'Notify'): void {
  draft.lifetimeActions = draft.lifetimeActions.filter((a) => a.action !== action);
  if (next) draft.lifetimeActions.push(next);
  // Rotate first, as the portal shows it.
  draft.lifetimeActions.sort((a, b) => (a.action === b.action ? 0 : a.action === 'Rotate' ? -1 : 1));
}

const same = (a: PolicyDraft, b: PolicyDraft): boolean => JSON.stringify(a) === JSON.stringify(b);

async function editRotate(c: KeyCommandContext, draft: PolicyDraft, name: string): Promise<void> {
  const current = actionOf(draft, 'Rotate');
  const picked = await c.prompts.pick<vscode.QuickPickItem & { id: 'after' | 'before' | 'remove' }>({
    title: vscode.l10n.t('Automatic rotation of {0}', name),
    placeholder: current ? describeAction(current) : vscode.l10n.t('When should Key Vault rotate the key?'),
    items: [
      { label: vscode.l10n.t('$(history) A time after each version is created…'), id: 'after' },
      { label: vscode.l10n.t('$(watch) A time before each version expires…'), id: 'before', detail: draft.expiryTime ? undefined : vscode.l10n.t('Needs an expiry for new versions') },
      ...(current ? [{ label: vscode.l10n.t('$(trash) No automatic rotation'), id: 'remove' as const }] : []),
    ],
  });
  if (picked === undefined || picked === BACK) return;
  if (picked.id === 'remove') {
    setAction(draft, undefined, 'Rotate');
    return;
  }
  const existing = picked.id === 'after' ? current?.timeAfterCreate : current?.timeBeforeExpiry;
  const value = await pickDuration(c, picked.id === 'after' ? vscode.l10n.t('Rotate {0} this long after creation', name) : vscode.l10n.t('Rotate {0} this long before expiry', name), 'rotate', existing);
  if (!value) return;
  setAction(draft, picked.id === 'after' ? { action: 'Rotate', timeAfterCreate: value } : { action: 'Rotate', timeBeforeExpiry: value }, 'Rotate');
}

async function editNotify(c: KeyCommandContext, draft: PolicyDraft, name: string): Promise<void> {
  const current = actionOf(draft, 'Notify');
  if (current) {
    const picked = await c.prompts.pick<vscode.QuickPickItem & { id: 'change' | 'remove' }>({
      title: vscode.l10n.t('Expiry notification of {0}', name),
      placeholder: describeAction(current),
      items: [
        { label: vscode.l10n.t('$(edit) Change the time before expiry…'), id: 'change' },
        { label: vscode.l10n.t('$(trash) No notification'), id: 'remove' },
      ],
    });
    if (picked === undefined || picked === BACK) return;
    if (picked.id === 'remove') {
      setAction(draft, undefined, 'Notify');
      return;
    }
  }
  const value = await pickDuration(c, vscode.l10n.t('Notify (Event Grid) this long before {0} expires', name), 'notify', current?.timeBeforeExpiry);
  if (value) setAction(draft, { action: 'Notify', timeBeforeExpiry: value }, 'Notify');
}

/**
 * `Rotation Policy…`: shows the key's policy in words (with the ISO 8601 durations beside them) and edits it in
 * place: expiry of new versions, automatic rotation, expiry notification. Key Vault's rules are checked as you edit,
 * and nothing is sent until Save.
 */
export async function editRotationPolicy(c: KeyCommandContext, arg: unknown): Promise<KeyRotationPolicy | undefined> {
  const ref: KeyRef = await resolveKey(c, arg, { title: vscode.l10n.t('Rotation Policy') });
  const policy = await withProgress(vscode.l10n.t('Reading the rotation policy of {0}…', ref.name), (signal) => ref.session.service.keys.getRotationPolicy(ref.vaultUrl, ref.name, { abortSignal: signal }));
  const saved: PolicyDraft = { lifetimeActions: policy.lifetimeActions.map((a) => ({ ...a })), ...(policy.expiryTime ? { expiryTime: policy.expiryTime } : {}) };
  const draft: PolicyDraft = structuredClone(saved);
  let result: KeyRotationPolicy | undefined = policy;
  for (;;) {
    const changed = !same(draft, saved);
    const problems = checkPolicyDraft(draft, ref.containerKind);
    const rotate = actionOf(draft, 'Rotate');
    const notify = actionOf(draft, 'Notify');
    const items: Choice[] = [
      {
        label: `$(calendar) ${draft.expiryTime ? vscode.l10n.t('New versions expire after {0}', durationLabel(draft.expiryTime)) : vscode.l10n.t('New versions do not expire')}`,
        description: draft.expiryTime ?? '',
        detail: vscode.l10n.t('Expiry time set on each version that rotation creates'),
        id: 'expiry',
      },
      ...(draft.expiryTime ? [{ label: vscode.l10n.t('$(circle-slash) Remove the expiry'), id: 'removeExpiry' as const }] : []),
      {
        label: `$(sync) ${rotate ? describeAction(rotate) : vscode.l10n.t('No automatic rotation')}`,
        description: rotate ? (rotate.timeAfterCreate ?? rotate.timeBeforeExpiry ?? '') : vscode.l10n.t('add…'),
        id: 'rotate',
      },
      ...(ref.containerKind === 'vault'
        ? [
            {
              label: `$(bell) ${notify ? describeAction(notify) : vscode.l10n.t('No expiry notification')}`,
              description: notify ? (notify.timeBeforeExpiry ?? '') : vscode.l10n.t('add…'),
              detail: vscode.l10n.t('An Event Grid event (KeyNearExpiry) before a version expires'),
              id: 'notify' as const,
            },
          ]
        : []),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...(changed
        ? [
            {
              label: problems.length ? vscode.l10n.t('$(error) Save Policy') : vscode.l10n.t('$(check) Save Policy'),
              detail: problems.length ? problems.join(' ') : describePolicy(draft).join(' · '),
              id: 'save' as const,
            },
          ]
        : []),
      { label: changed ? vscode.l10n.t('$(close) Discard Changes') : vscode.l10n.t('$(close) Close'), id: 'close' },
    ];
    const picked = await c.prompts.pick<Choice>({
      title: vscode.l10n.t('Rotation policy of {0}{1}', ref.name, changed ? vscode.l10n.t(' (changed)') : ''),
      placeholder: describePolicy(draft).join(' · '),
      items,
      matchOnDetail: false,
    });
    if (picked === undefined || picked === BACK || picked.id === 'close') {
      if (changed) c.log.debug(`Rotation policy of ${ref.name}: changes discarded`);
      return result;
    }
    switch (picked.id) {
      case 'expiry': {
        const value = await pickDuration(c, vscode.l10n.t('Expiry of new versions of {0}', ref.name), 'expiry', draft.expiryTime);
        if (value) draft.expiryTime = value;
        break;
      }
      case 'removeExpiry':
        delete draft.expiryTime;
        break;
      case 'rotate':
        await editRotate(c, draft, ref.name);
        break;
      case 'notify':
        await editNotify(c, draft, ref.name);
        break;
      case 'save': {
        if (problems.length) {
          await c.prompts.message({ kind: 'error', text: vscode.l10n.t('The policy cannot be saved yet: {0}', problems.join(' ')) });
          break;
        }
        try {
          result = await withProgress(vscode.l10n.t('Saving the rotation policy of {0}…', ref.name), (signal) =>
            ref.session.service.keys.updateRotationPolicy(ref.vaultUrl, ref.name, { lifetimeActions: draft.lifetimeActions, ...(draft.expiryTime ? { expiryTime: draft.expiryTime } : {}), abortSignal: signal }),
          );
        } catch (err) {
          // Stay in the editor with the draft: the user fixes what the service refused.
          if (err instanceof vscode.CancellationError) break;
          await c.prompts.message({ kind: 'error', text: errorText(err) });
          break;
        }
        c.log.info(`Saved the rotation policy of key ${ref.name} in ${hostOf(ref.vaultUrl)}: ${describePolicy(draft).join('; ')}`);
        void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Saved the rotation policy of {0}: {1}.', ref.name, describePolicy(draft).join('; ')) });
        return result;
      }
    }
  }
}
