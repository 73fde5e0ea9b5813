import * as vscode from 'vscode';
import { isKeyVaultError } from '../../keyvault/errors';
import type { CertificateOperation, CreateCertificateOptions } from '../../keyvault/models/certificates';
import { confirm, hostOf, refreshFamily, withProgress, type VaultCommandContext, type VaultTarget } from './context';
import type { CertificateRef } from './target';

/** How long the create flows wait for Key Vault to issue (a configured CA may take much longer: then check later). */
export const ISSUE_TIMEOUT_MS = 5 * 60_000;

/** What a finished (or parked) create operation means for the user. */
export type OperationOutcome = 'completed' | 'waitingForMerge' | 'inProgress' | 'failed' | 'cancelled';

export function outcomeOf(op: CertificateOperation): OperationOutcome {
  const status = (op.status ?? '').toLowerCase();
  if (status === 'completed') return 'completed';
  if (status === 'cancelled') return 'cancelled';
  if (status === 'failed' || op.error?.code) return 'failed';
  if (op.issuerName?.toLowerCase() === 'unknown') return 'waitingForMerge';
  return 'inProgress';
}

/** One line for a notification or the panel's status area. */
export function describeOperation(name: string, op: CertificateOperation): string {
  switch (outcomeOf(op)) {
    case 'completed':
      return vscode.l10n.t('Certificate {0} was issued.', name);
    case 'waitingForMerge':
      return vscode.l10n.t('Certificate {0} is waiting for your CA: download its signing request (CSR), have it signed, then merge the signed certificate.', name);
    case 'failed':
      return vscode.l10n.t('Issuing certificate {0} failed: {1}', name, op.error?.message ?? op.statusDetails ?? op.status ?? '');
    case 'cancelled':
      return vscode.l10n.t('Issuing certificate {0} was cancelled.', name);
    default:
      return vscode.l10n.t('Certificate {0} is still being issued by {1}; check the pending operation later.', name, op.issuerName ?? vscode.l10n.t('its issuer'));
  }
}

/**
 * A certificate of that name already exists (creating makes a new version) or is deleted (creating fails): ask or
 * explain before sending anything.
 */
export async function checkNameBeforeCreate(c: VaultCommandContext, vault: VaultTarget, name: string, signal?: AbortSignal): Promise<void> {
  const service = vault.session.service.certificates;
  try {
    await service.get(vault.url, name, undefined, signal ? { abortSignal: signal } : undefined);
  } catch (err) {
    if (isKeyVaultError(err) && err.status === 404) return;
    // Listing may be allowed where reading is not: let create decide.
    if (isKeyVaultError(err) && err.status === 403) return;
    throw err;
  }
  await confirm(
    c,
    vscode.l10n.t('Certificate {0} already exists in {1}.', name, vault.name),
    vscode.l10n.t('Creating it again issues a new version with this policy, which replaces the current policy. The older versions stay available.'),
    vscode.l10n.t('Create New Version'),
  );
}

/** Starts issuance and follows it until it completes, waits for a merge, fails, or the timeout passes. */
export async function createAndFollow(
  vault: VaultTarget,
  name: string,
  options: CreateCertificateOptions,
  signal: AbortSignal,
  onStarted?: (op: CertificateOperation) => void,
): Promise<CertificateOperation> {
  const service = vault.session.service.certificates;
  const started = await service.create(vault.url, name, { ...options, abortSignal: signal });
  onStarted?.(started);
  if (outcomeOf(started) !== 'inProgress') return started;
  try {
    return await service.waitForOperation(vault.url, name, { abortSignal: signal, timeoutMs: ISSUE_TIMEOUT_MS });
  } catch (err) {
    // Still running at the deadline: not a failure, the operation goes on in Key Vault.
    if (isKeyVaultError(err) && err.kind === 'timeout') return service.getOperation(vault.url, name, { abortSignal: signal });
    throw err;
  }
}

/** The create request a command may be given instead of the form (automation and tests). */
export interface CreateRequest {
  name: string;
  options: CreateCertificateOptions;
}

export function parseCreateRequest(x: unknown): CreateRequest | undefined {
  const r = x as Partial<CreateRequest> | undefined;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.options !== 'object' || r.options === null) return undefined;
  return { name: r.name, options: r.options };
}

/**
 * Creates without the form: progress in a notification, the tree refreshed, the outcome reported. Returns the
 * operation (tests assert on it).
 */
export async function createHeadless(c: VaultCommandContext, vault: VaultTarget, request: CreateRequest): Promise<CertificateOperation> {
  await checkNameBeforeCreate(c, vault, request.name);
  const op = await withProgress(vscode.l10n.t('Creating certificate {0} in {1}…', request.name, vault.name), async (signal, progress) =>
    createAndFollow(vault, request.name, request.options, signal, () => {
      void refreshFamily(c, vault.url, 'certificates');
      progress.report({ message: vscode.l10n.t('waiting for the issuer…') });
    }),
  );
  c.log.info(`Certificate ${request.name} in ${hostOf(vault.url)}: ${op.status ?? 'unknown status'} (issuer ${op.issuerName ?? 'Self'})`);
  void refreshFamily(c, vault.url, 'certificates');
  const outcome = outcomeOf(op);
  const text = describeOperation(request.name, op);
  if (outcome === 'failed') throw new Error(text);
  void vscode.window.showInformationMessage(text);
  return op;
}

export const refOf = (vault: VaultTarget, name: string): CertificateRef => ({ session: vault.session, vaultUrl: vault.url, name });
