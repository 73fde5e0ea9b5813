import * as vscode from 'vscode';
import type { AdministratorContact, CertificateIssuer, IssuerProperties } from '../../keyvault/models/certificates';
import { BACK, required, runWizard, type WizardStep } from '../pickers';
import { confirm, hostOf, withProgress, type VaultCommandContext, type VaultTarget } from './context';
import type { InfoDocuments } from './infoDocuments';
import { checkEmail, checkIssuerName } from './issuerInput';
import { resolveVault } from './target';

type IssuerItem = vscode.QuickPickItem & { issuer?: IssuerProperties; add?: true };

/** What the add/edit wizard collects. The password stays in memory for the one request and is never shown again. */
interface IssuerDraft {
  name: string;
  provider: string;
  accountId: string;
  password: string;
  organizationId: string;
  adminEmail: string;
  adminFirstName: string;
  adminLastName: string;
  adminPhone: string;
  existing?: CertificateIssuer;
}

function issuerSummary(i: CertificateIssuer): Record<string, unknown> {
  return {
    name: i.name,
    id: i.id,
    provider: i.provider,
    accountId: i.accountId,
    organizationId: i.organizationId,
    administrators: i.administrators,
    enabled: i.enabled,
    createdOn: i.createdOn,
    updatedOn: i.updatedOn,
    password: '(write-only: Key Vault never returns it)',
  };
}

function text(c: VaultCommandContext, d: IssuerDraft, key: keyof Omit<IssuerDraft, 'existing'>, title: string, prompt: string, validate?: (v: string) => string | undefined, password = false): WizardStep<IssuerDraft> {
  return {
    async run(_state, info) {
      const answer = await c.prompts.input({ ...info, title, prompt, value: password ? '' : d[key], password, ...(validate ? { validate } : {}) });
      if (answer === undefined || answer === BACK) return answer;
      d[key] = answer.trim();
      return 'next';
    },
  };
}

/** Add or edit an issuer in a few steps with Back; only provider (and the name, when adding) is required. */
async function issuerWizard(c: VaultCommandContext, vault: VaultTarget, existing?: CertificateIssuer): Promise<CertificateIssuer | undefined> {
  const admin = existing?.administrators[0];
  const d: IssuerDraft = {
    name: existing?.name ?? '',
    provider: existing?.provider ?? '',
    accountId: existing?.accountId ?? '',
    password: '',
    organizationId: existing?.organizationId ?? '',
    adminEmail: admin?.email ?? '',
    adminFirstName: admin?.firstName ?? '',
    adminLastName: admin?.lastName ?? '',
    adminPhone: admin?.phone ?? '',
    ...(existing ? { existing } : {}),
  };
  const title = existing ? vscode.l10n.t('Edit Issuer {0}', existing.name) : vscode.l10n.t('Add Certificate Issuer to {0}', vault.name);
  const optional = vscode.l10n.t('(optional)');
  const steps: WizardStep<IssuerDraft>[] = [
    ...(existing ? [] : [text(c, d, 'name', title, vscode.l10n.t('Issuer name: letters, digits and dashes (Self and Unknown are built in)'), checkIssuerName)]),
    text(c, d, 'provider', title, vscode.l10n.t('Provider, e.g. DigiCert or GlobalSign'), (v) => (v.trim() ? undefined : vscode.l10n.t('The provider is required.'))),
    text(c, d, 'accountId', title, vscode.l10n.t('Account id at the provider {0}', optional)),
    text(c, d, 'password', title, existing ? vscode.l10n.t('Account password or API key {0}: leave empty to keep the current one', optional) : vscode.l10n.t('Account password or API key {0}', optional), undefined, true),
    text(c, d, 'organizationId', title, vscode.l10n.t('Organization id at the provider {0}', optional)),
    text(c, d, 'adminEmail', title, vscode.l10n.t('Administrator email {0}', optional), (v) => (v.trim() ? checkEmail(v.trim()) : undefined)),
    { ...text(c, d, 'adminFirstName', title, vscode.l10n.t('Administrator first name {0}', optional)), skip: () => !d.adminEmail },
    { ...text(c, d, 'adminLastName', title, vscode.l10n.t('Administrator last name {0}', optional)), skip: () => !d.adminEmail },
    { ...text(c, d, 'adminPhone', title, vscode.l10n.t('Administrator phone {0}', optional)), skip: () => !d.adminEmail },
  ];
  if (!(await runWizard(steps, d))) throw new vscode.CancellationError();
  const administrators: AdministratorContact[] = d.adminEmail
    ? [{ email: d.adminEmail, ...(d.adminFirstName ? { firstName: d.adminFirstName } : {}), ...(d.adminLastName ? { lastName: d.adminLastName } : {}), ...(d.adminPhone ? { phone: d.adminPhone } : {}) }]
    : [];
  const options = {
    provider: d.provider,
    ...(d.accountId ? { accountId: d.accountId } : {}),
    ...(d.password ? { password: d.password } : {}),
    ...(d.organizationId ? { organizationId: d.organizationId } : {}),
    administrators,
  };
  const service = vault.session.service.certificates;
  const saved = await withProgress(existing ? vscode.l10n.t('Updating issuer {0}…', d.name) : vscode.l10n.t('Adding issuer {0}…', d.name), (signal) =>
    existing ? service.updateIssuer(vault.url, d.name, { ...options, abortSignal: signal }) : service.setIssuer(vault.url, d.name, { ...options, abortSignal: signal }),
  );
  c.log.info(`${existing ? 'Updated' : 'Added'} certificate issuer ${saved.name} (${saved.provider ?? 'no provider'}) in ${hostOf(vault.url)}`);
  return saved;
}

/**
 * `Manage Certificate Issuers…`: the vault's configured issuers (certificate authorities Key Vault orders from):
 * view, add, edit, delete. Loops until the user closes the list.
 */
export async function manageIssuers(c: VaultCommandContext, arg: unknown, docs: InfoDocuments): Promise<void> {
  const title = vscode.l10n.t('Certificate Issuers');
  const vault = await resolveVault(c, arg, 'certificates', title);
  const service = vault.session.service.certificates;
  for (;;) {
    const items = (async (): Promise<IssuerItem[]> => {
      const list: IssuerItem[] = [];
      for await (const i of service.listIssuers(vault.url)) list.push({ label: `$(organization) ${i.name}`, description: i.provider ?? '', issuer: i });
      return [{ label: `$(add) ${vscode.l10n.t('Add Issuer…')}`, add: true }, ...(list.length ? [{ label: vscode.l10n.t('issuers'), kind: vscode.QuickPickItemKind.Separator }, ...list] : [])];
    })();
    const picked = required(await c.prompts.pick<IssuerItem>({ title: `${title} · ${vault.name}`, placeholder: vscode.l10n.t('Choose an issuer, or add one'), items }));
    if (picked.add) {
      const added = await issuerWizard(c, vault);
      if (added) void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Added issuer {0}. Choose it as the issuer when you create a certificate.', added.name) });
      continue;
    }
    const name = picked.issuer!.name;
    const show = vscode.l10n.t('Show Details');
    const edit = vscode.l10n.t('Edit…');
    const del = vscode.l10n.t('Delete…');
    const action = await c.prompts.pick<vscode.QuickPickItem>({
      title: `${title} · ${name}`,
      items: [
        { label: `$(info) ${show}` },
        { label: `$(edit) ${edit}` },
        { label: `$(trash) ${del}` },
      ],
      canGoBack: true,
    });
    if (action === BACK) continue;
    const chosen = required(action).label;
    if (chosen.endsWith(show)) {
      const issuer = await withProgress(vscode.l10n.t('Reading issuer {0}…', name), (signal) => service.getIssuer(vault.url, name, { abortSignal: signal }));
      await docs.open(`issuer-${name}`, issuer.id, issuerSummary(issuer));
      return;
    }
    if (chosen.endsWith(edit)) {
      const issuer = await withProgress(vscode.l10n.t('Reading issuer {0}…', name), (signal) => service.getIssuer(vault.url, name, { abortSignal: signal }));
      await issuerWizard(c, vault, issuer);
      void c.prompts.message({ kind: 'info', text: vscode.l10n.t('Updated issuer {0}.', name) });
      continue;
    }
    await confirm(
      c,
      vscode.l10n.t('Delete issuer {0} from {1}?', name, vault.name),
      vscode.l10n.t('Certificates whose policy names this issuer can no longer renew until their policy names another one.'),
      vscode.l10n.t('Delete'),
    );
    await withProgress(vscode.l10n.t('Deleting issuer {0}…', name), (signal) => service.deleteIssuer(vault.url, name, { abortSignal: signal }));
    c.log.info(`Deleted certificate issuer ${name} in ${hostOf(vault.url)}`);
  }
}
