import * as vscode from 'vscode';
import { parseContainerInput, type ContainerKind } from '../../accounts/containerInput';
import type { CredentialSession } from '../../accounts/session';
import type { PinnedContainer } from '../../accounts/types';
import { checkReachable } from '../../accounts/reachability';
import type { AccountCommandDeps } from './useLocalEmulator';

/** The command's argument for tests and scripts; the palette and tree pass nothing and get prompts. */
export interface AddVaultRequest {
  url: string;
  kind?: ContainerKind;
  sessionId?: string;
  /** Custom endpoints only: skip the confirmation (the caller confirmed), and the CA file to trust. */
  trustCustomEndpoint?: boolean;
  caFile?: string;
  /** Pin it even if the reachability check fails for another reason than access. */
  addIfUnreachable?: boolean;
}

const KIND_LABEL: Record<ContainerKind, string> = { vault: 'Key Vault', hsm: 'Managed HSM' };

async function pickKind(name: string, candidates: { kind: ContainerKind; url: string }[]): Promise<{ kind: ContainerKind; url: string }> {
  const pick = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: KIND_LABEL[c.kind], description: c.url, candidate: c })),
    { title: vscode.l10n.t('Is {0} a vault or a Managed HSM?', name), ignoreFocusOut: true },
  );
  if (!pick) throw new vscode.CancellationError();
  return pick.candidate;
}

async function pickSession(sessions: readonly CredentialSession[], title: string): Promise<CredentialSession> {
  if (sessions.length === 1) return sessions[0]!;
  const pick = await vscode.window.showQuickPick(
    sessions.map((s) => ({ label: s.label, description: s.cloud.displayName, session: s })),
    { title, ignoreFocusOut: true },
  );
  if (!pick) throw new vscode.CancellationError();
  return pick.session;
}

async function askText(activeCloud: () => ReturnType<AccountCommandDeps['accounts']['activeCloud']>): Promise<string> {
  const cloud = activeCloud();
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Vault or HSM by URL'),
    prompt: vscode.l10n.t('A vault or Managed HSM URL, just its name (in {0}), or a custom https endpoint such as a local emulator.', cloud.displayName),
    placeHolder: cloud.keyVaultDnsSuffix === 'invalid.' ? 'https://127.0.0.1:8443' : `https://contoso.${cloud.keyVaultDnsSuffix}`,
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return undefined;
      const parsed = parseContainerInput(value, activeCloud());
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (text === undefined) throw new vscode.CancellationError();
  return text;
}

/**
 * `Key Vault: Add Vault or HSM by URL…`: pins a vault or HSM the user can reach through the data plane even with
 * no Resource Manager access. Parses (specific errors), confirms custom endpoints (tokens will go there), checks
 * reachability by listing one item (401/403 still pin it, with the reason), and saves to globalState.
 */
export async function addVaultByUrl(deps: AccountCommandDeps, arg?: string | AddVaultRequest): Promise<PinnedContainer | undefined> {
  const { accounts, log } = deps;
  await accounts.whenLoaded();
  const request: AddVaultRequest | undefined = typeof arg === 'string' ? { url: arg } : arg && typeof arg === 'object' && typeof arg.url === 'string' ? arg : undefined;
  const text = request?.url ?? (await askText(() => accounts.activeCloud()));
  const parsed = parseContainerInput(text, accounts.activeCloud());
  if (!parsed.ok) throw new Error(parsed.message);
  const sessions = accounts.sessions();

  let kind: ContainerKind;
  let url: string;
  let name: string;
  let session: CredentialSession | undefined;
  let custom: PinnedContainer['custom'];
  let storeSession = false;

  if (parsed.type === 'custom') {
    url = parsed.url;
    const known = sessions.flatMap((s) => s.knownContainers.filter((c) => c.url.toLowerCase() === url.toLowerCase()).map((c) => ({ s, c })))[0];
    if (known) {
      // Already trusted by construction (the emulator's own vaults): nothing to confirm.
      ({ kind, name } = known.c);
      session = known.s;
      storeSession = true;
    } else {
      const trusting = request?.sessionId ? sessions.filter((s) => s.id === request.sessionId) : sessions;
      if (!request?.trustCustomEndpoint) {
        const trust = vscode.l10n.t('Trust and Add');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Send Azure access tokens to {0}?', parsed.url),
          {
            modal: true,
            detail: vscode.l10n.t(
              '{0} is not an Azure Key Vault host. If you add it, Key Vault Explorer will send it access tokens of your account when it asks for them. Only do this for an endpoint you run or trust: a local emulator, a private proxy.',
              parsed.name,
            ),
          },
          trust,
        );
        if (answer !== trust) throw new vscode.CancellationError();
      }
      kind = request?.kind ?? (await pickKind(parsed.name, [{ kind: 'vault', url }, { kind: 'hsm', url }])).kind;
      const caFile = request ? request.caFile : await pickCaFile();
      custom = caFile ? { caFile } : {};
      name = request?.kind ? parsed.name : await askName(parsed.name);
      if (trusting.length > 0) {
        session = await pickSession(trusting, vscode.l10n.t("Whose tokens may be sent to {0}?", parsed.name));
        storeSession = true;
      }
    }
  } else {
    if (parsed.type === 'name') {
      const chosen = request?.kind ? parsed.candidates.find((c) => c.kind === request.kind)! : await pickKind(parsed.name, parsed.candidates);
      kind = chosen.kind;
      url = chosen.url;
    } else {
      kind = parsed.kind;
      url = parsed.url;
    }
    name = parsed.name;
    const candidates = sessions.filter((s) => s.trusts(url) && (!request?.sessionId || s.id === request.sessionId));
    if (candidates.length > 0) {
      session = await pickSession(candidates, vscode.l10n.t('Which account should open {0}?', name));
      storeSession = candidates.length > 1;
    }
  }

  const pin: PinnedContainer = { kind, name, url, ...(storeSession && session ? { sessionId: session.id } : {}), ...(custom ? { custom } : {}) };
  const existing = accounts.pinned().find((p) => p.url.toLowerCase() === url.toLowerCase());

  if (!session) {
    await accounts.pin(pin);
    log.info(`Pinned ${kind} ${url} (no session reaches it yet)`);
    const cloud = parsed.type === 'cloud' ? parsed.cloud : undefined;
    const signIn = vscode.l10n.t('Sign In');
    const message =
      cloud && sessions.length > 0
        ? vscode.l10n.t('Added {0}. It is in {1}: sign in there to open it.', name, cloud.displayName)
        : vscode.l10n.t('Added {0}. Sign in to open it.', name);
    void vscode.window.showInformationMessage(message, signIn).then((c) => {
      if (c === signIn) void vscode.commands.executeCommand('keyVault.signIn', cloud?.sovereignEnvironment ? `microsoft:${cloud.sovereignEnvironment}` : undefined);
    });
    return pin;
  }

  if (custom && !session.trusts(url)) {
    const ca = custom.caFile ? await readCa(custom.caFile) : undefined;
    session.addCustomEndpoint({ origin: url, ...(ca ? { ca } : {}) });
  }
  const reach = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', url), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return checkReachable(session, kind, url, controller.signal);
    },
  );
  if (reach.outcome === 'cancelled') throw new vscode.CancellationError();
  if (reach.outcome === 'failed') {
    const addAnyway = vscode.l10n.t('Add Anyway');
    const answer = request?.addIfUnreachable
      ? addAnyway
      : await vscode.window.showWarningMessage(vscode.l10n.t('Could not reach {0}: {1}', url, reach.message), { modal: true }, addAnyway);
    if (answer !== addAnyway) throw new vscode.CancellationError();
  }
  await accounts.pin(pin);
  log.info(`Pinned ${kind} ${url} through ${session.label} (${reach.outcome})`);
  if (reach.outcome === 'denied') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Added {0}, but you lack access to it: {1}', name, reach.message));
  } else {
    void vscode.window.showInformationMessage(existing ? vscode.l10n.t('{0} was already pinned; updated.', name) : vscode.l10n.t('Added {0}.', name));
  }
  return pin;
}

async function readCa(file: string): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
  const pem = Buffer.from(bytes).toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(vscode.l10n.t('{0} holds no PEM certificate.', file));
  return pem;
}

async function pickCaFile(): Promise<string | undefined> {
  const none = vscode.l10n.t('No: its certificate is publicly trusted');
  const choose = vscode.l10n.t('Yes: choose the CA certificate (PEM)…');
  const pick = await vscode.window.showQuickPick([none, choose], { title: vscode.l10n.t('Does the endpoint use a certificate from a private CA?'), ignoreFocusOut: true });
  if (!pick) throw new vscode.CancellationError();
  if (pick === none) return undefined;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Trust This CA'), filters: { [vscode.l10n.t('Certificates')]: ['pem', 'crt', 'cer'] } });
  if (!uris?.[0]) throw new vscode.CancellationError();
  await readCa(uris[0].fsPath);
  return uris[0].fsPath;
}

async function askName(suggested: string): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Name shown in the tree'),
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? vscode.l10n.t('Enter a name.') : undefined),
  });
  if (name === undefined) throw new vscode.CancellationError();
  return name.trim();
}
