import * as vscode from 'vscode';
import { isKeyVaultError, type KeyVaultError } from '../keyvault/errors';

const LEARN_MORE: Partial<Record<KeyVaultError['kind'], string>> = {
  'forbidden-rbac': 'https://learn.microsoft.com/azure/key-vault/general/rbac-guide',
  'forbidden-access-policy': 'https://learn.microsoft.com/azure/key-vault/general/assign-access-policy',
  'forbidden-firewall': 'https://learn.microsoft.com/azure/key-vault/general/network-security',
  unauthorized: 'https://learn.microsoft.com/azure/key-vault/general/authentication',
  throttled: 'https://learn.microsoft.com/azure/key-vault/general/overview-throttling',
  tls: 'https://code.visualstudio.com/docs/setup/network',
  network: 'https://code.visualstudio.com/docs/setup/network',
};

export interface ErrorPresentation {
  label: string;
  detail: string;
  learnMore?: string;
}

const FAMILY_WORD: Record<string, string> = { secrets: 'secrets', keys: 'keys', certificates: 'certificates', storage: 'storage accounts', hsm: 'HSM objects', vaults: 'vaults' };

/** Turns any failure into a short label, the hint as detail, and a documentation link. Never a stack trace. */
export function presentError(err: unknown, what: string): ErrorPresentation {
  if (!isKeyVaultError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { label: vscode.l10n.t('Could not load {0}: {1}', FAMILY_WORD[what] ?? what, message), detail: message };
  }
  const word = FAMILY_WORD[what] ?? what;
  const labels: Partial<Record<KeyVaultError['kind'], string>> = {
    'forbidden-rbac': vscode.l10n.t('No permission to list {0} (Azure RBAC)', word),
    'forbidden-access-policy': vscode.l10n.t('No permission to list {0} (access policy)', word),
    'forbidden-firewall': vscode.l10n.t("Blocked by the vault's firewall"),
    unauthorized: vscode.l10n.t('Not authorized: sign in to the right tenant'),
    'not-found': vscode.l10n.t('Not found: was the vault or the object deleted?'),
    server: vscode.l10n.t('{0} answered with a server error{1}', err.host ?? 'The vault', err.status ? ` (HTTP ${err.status})` : ''),
    throttled: vscode.l10n.t('The vault is throttling requests'),
    network: vscode.l10n.t('Cannot reach {0}', err.host ?? 'the vault'),
    tls: vscode.l10n.t('TLS certificate of {0} is not trusted', err.host ?? 'the vault'),
    timeout: vscode.l10n.t('{0} did not answer in time', err.host ?? 'The vault'),
    'untrusted-host': vscode.l10n.t('Not a trusted Key Vault host'),
    cancelled: vscode.l10n.t('Cancelled'),
  };
  const label = labels[err.kind] ?? err.message;
  const detail = [err.message, err.hint].filter(Boolean).join('\n\n');
  const learnMore = LEARN_MORE[err.kind];
  return { label, detail, ...(learnMore ? { learnMore } : {}) };
}
