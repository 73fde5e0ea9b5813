import * as vscode from 'vscode';
import type { CertificateContact } from '../../keyvault/models/certificates';
import { BACK, required, runWizard, type WizardStep } from '../pickers';
import { confirm, hostOf, withProgress, type VaultCommandContext } from './context';
import { checkEmail } from './issuerInput';
import { resolveVault } from './target';

type ContactItem = vscode.QuickPickItem & { contact?: CertificateContact; index?: number; action?: 'add' | 'removeAll' };

async function contactWizard(c: VaultCommandContext, title: string, existing?: CertificateContact): Promise<CertificateContact> {
  const draft = { email: existing?.email ?? '', name: existing?.name ?? '', phone: existing?.phone ?? '' };
  const step = (key: keyof typeof draft, prompt: string, validate?: (v: string) => string | undefined): WizardStep<typeof draft> => ({
    async run(_s, info) {
      const answer = await c.prompts.input({ ...info, title, prompt, value: draft[key], ...(validate ? { validate } : {}) });
      if (answer === undefined || answer === BACK) return answer;
      draft[key] = answer.trim();
      return 'next';
    },
  });
  const ok = await runWizard(
    [
      step('email', vscode.l10n.t('Email address (Key Vault writes to it about expiring certificates)'), checkEmail),
      step('name', vscode.l10n.t('Name (optional)')),
      step('phone', vscode.l10n.t('Phone (optional)')),
    ],
    draft,
  );
  if (!ok) throw new vscode.CancellationError();
  return { email: draft.email, ...(draft.name ? { name: draft.name } : {}), ...(draft.phone ? { phone: draft.phone } : {}) };
}

/**
 * `Manage Certificate Contacts…`: the people Key Vault emails about certificate lifetime events (the EmailContacts
 * lifetime action). Add, edit, remove one, or remove all; each change replaces the vault's list.
 */
export async function manageContacts(c: VaultCommandContext, arg: unknown): Promise<CertificateContact[]> {
  const title = vscode.l10n.t('Certificate Contacts');
  const vault = await resolveVault(c, arg, 'certificates', title);
  const service = vault.session.service.certificates;
  let contacts = await withProgress(vscode.l10n.t('Reading the certificate contacts of {0}…', vault.name), (signal) => service.getContacts(vault.url, { abortSignal: signal }));
  const save = async (next: CertificateContact[]): Promise<void> => {
    contacts = next.length
      ? await withProgress(vscode.l10n.t('Saving the contacts of {0}…', vault.name), (signal) => service.setContacts(vault.url, next, { abortSignal: signal }))
      : (await withProgress(vscode.l10n.t('Removing the contacts of {0}…', vault.name), (signal) => service.deleteContacts(vault.url, { abortSignal: signal })), []);
    c.log.info(`Certificate contacts of ${hostOf(vault.url)}: ${contacts.length} now`);
  };
  for (;;) {
    const items: ContactItem[] = [
      { label: `$(add) ${vscode.l10n.t('Add Contact…')}`, action: 'add' },
      ...contacts.map((contact, index) => ({ label: `$(mail) ${contact.email ?? ''}`, description: [contact.name, contact.phone].filter(Boolean).join(' · '), contact, index })),
      ...(contacts.length > 1 ? [{ label: `$(trash) ${vscode.l10n.t('Remove All Contacts…')}`, action: 'removeAll' as const }] : []),
    ];
    const picked = await c.prompts.pick<ContactItem>({
      title: `${title} · ${vault.name}`,
      placeholder: contacts.length ? vscode.l10n.t('{0} contact(s): choose one to edit or remove, or add one', contacts.length) : vscode.l10n.t('No contacts yet: add one'),
      items,
    });
    if (picked === undefined || picked === BACK) return contacts;
    if (picked.action === 'add') {
      const added = await contactWizard(c, vscode.l10n.t('Add Certificate Contact'));
      await save([...contacts, added]);
      continue;
    }
    if (picked.action === 'removeAll') {
      await confirm(c, vscode.l10n.t('Remove all certificate contacts of {0}?', vault.name), vscode.l10n.t('Nobody is emailed about expiring certificates any more.'), vscode.l10n.t('Remove All'));
      await save([]);
      continue;
    }
    const index = picked.index!;
    const edit = vscode.l10n.t('Edit…');
    const remove = vscode.l10n.t('Remove');
    const action = await c.prompts.pick<vscode.QuickPickItem>({ title: `${title} · ${picked.contact?.email ?? ''}`, items: [{ label: `$(edit) ${edit}` }, { label: `$(trash) ${remove}` }], canGoBack: true });
    if (action === BACK) continue;
    if (required(action).label.endsWith(edit)) {
      const changed = await contactWizard(c, vscode.l10n.t('Edit Certificate Contact'), contacts[index]);
      await save(contacts.map((x, i) => (i === index ? changed : x)));
    } else {
      await save(contacts.filter((_x, i) => i !== index));
    }
  }
}
