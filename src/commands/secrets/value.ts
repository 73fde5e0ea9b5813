import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { SecretWithValue } from '../../keyvault/models/secrets';
import { shortDate } from '../../tree/model/objectView';
import { refreshSecrets, withProgress, type SecretCommandContext } from './context';
import { describeRef, type SecretRef } from './target';

/**
 * Key Vault answers 403 for the value of a disabled secret, and its documentation says the same of an expired or
 * not-yet-active one (the service returns those in practice, but a 403 SecretExpired/NotYetValid may come). Instead
 * of failing, say why and offer the fix: enable it (one PATCH), or edit its dates.
 */
async function offerFix(c: SecretCommandContext, ref: SecretRef, purpose: string, reason: 'disabled' | 'expired' | 'not-yet-valid'): Promise<'enabled' | 'edit-dates'> {
  const what = describeRef(ref);
  if (reason === 'disabled') {
    const enable = vscode.l10n.t('Enable and Continue');
    const choice = await c.prompts.message({
      kind: 'warning',
      text: vscode.l10n.t('Secret {0} is disabled, so Key Vault does not return its value ({1}).', what, purpose),
      detail: vscode.l10n.t('Enable it to use it again. Applications reading this secret will be able to read it too.'),
      modal: true,
      actions: [enable],
    });
    if (choice !== enable) throw new vscode.CancellationError();
    await withProgress(vscode.l10n.t('Enabling {0}…', what), (signal) =>
      ref.session.service.secrets.update(ref.vaultUrl, ref.name, ref.version ?? ref.view?.version ?? '', { attributes: { enabled: true }, abortSignal: signal }),
    );
    c.log.info(`Enabled secret ${ref.name}${ref.version ? ` version ${ref.version}` : ''} in ${new URL(ref.vaultUrl).host}`);
    void refreshSecrets(c, ref.vaultUrl);
    return 'enabled';
  }
  const editDates = vscode.l10n.t('Edit Attributes…');
  const when = reason === 'expired' ? ref.view?.expiresOn : ref.view?.notBefore;
  const text =
    reason === 'expired'
      ? vscode.l10n.t('Secret {0} expired{1}, so Key Vault does not return its value ({2}).', what, when ? ` ${shortDate(when)}` : '', purpose)
      : vscode.l10n.t('Secret {0} is not active yet{1}, so Key Vault does not return its value ({2}).', what, when ? ` (${shortDate(when)})` : '', purpose);
  const choice = await c.prompts.message({ kind: 'warning', text, detail: vscode.l10n.t('Change its activation or expiry date to use it.'), modal: true, actions: [editDates] });
  if (choice === editDates) return 'edit-dates';
  throw new vscode.CancellationError();
}

/** Which 403s mean "the object's own state", from Key Vault's inner error codes. */
function stateOf(err: unknown): 'disabled' | 'expired' | 'not-yet-valid' | undefined {
  if (!isKeyVaultError(err) || err.status !== 403) return undefined;
  const inner = err.innerCode ?? '';
  if (err.kind === 'disabled' || /Disabled$/i.test(inner)) return 'disabled';
  if (/Expired$/i.test(inner) || /expired/i.test(err.message)) return 'expired';
  if (/NotYetValid$/i.test(inner) || /not yet valid|nbf/i.test(err.message)) return 'not-yet-valid';
  return undefined;
}

/**
 * Reads a secret's value for `purpose` ("to copy it"), handling disabled/expired secrets as above. The value goes
 * to the caller only; nothing here logs it.
 */
export async function readSecretValue(c: SecretCommandContext, ref: SecretRef, purpose: string, signal?: AbortSignal): Promise<SecretWithValue | 'edit-dates'> {
  // Disabled, as the tree knew it: no doomed request. Dates are left to the service: Key Vault returns the value of
  // an expired or not-yet-active secret, and the dates a panel opened with may have been edited since.
  if (ref.view && !ref.view.enabled) await offerFix(c, ref, purpose, 'disabled');
  const get = () => ref.session.service.secrets.get(ref.vaultUrl, ref.name, ref.version, signal ? { abortSignal: signal } : undefined);
  try {
    return await get();
  } catch (err) {
    const state = stateOf(err);
    if (!state) throw err;
    const fix = await offerFix(c, ref, purpose, state);
    if (fix === 'edit-dates') return fix;
    return get();
  }
}
