import { CLOUDS, type CloudDefinition } from '../azure/clouds';

/**
 * Parsing what a user types into "Add Vault or HSM by URL…". Pure: no I/O, no `vscode`, so it is property-tested.
 * Accepts a full URL (any path, e.g. a secret id, is reduced to the origin), a host without scheme, a bare name
 * (expanded with the active cloud's suffixes), vault and Managed HSM hosts of every known cloud, and custom https
 * endpoints (an emulator, a private proxy) that the caller must confirm before any token goes there.
 */

export type ContainerKind = 'vault' | 'hsm';

export type ParseErrorCode =
  | 'empty'
  | 'whitespace'
  | 'not-https'
  | 'bad-url'
  | 'credentials-in-url'
  | 'invalid-name'
  | 'bad-host'
  | 'bad-port'
  | 'no-suffix';

export interface ParseError {
  ok: false;
  code: ParseErrorCode;
  message: string;
}

/** A host under a known cloud's vault or Managed HSM suffix. */
export interface ParsedCloudContainer {
  ok: true;
  type: 'cloud';
  kind: ContainerKind;
  name: string;
  url: string;
  cloud: CloudDefinition;
}

/** A bare name: a vault or an HSM in the active cloud (the caller asks which). */
export interface ParsedName {
  ok: true;
  type: 'name';
  name: string;
  candidates: { kind: ContainerKind; url: string }[];
  cloud: CloudDefinition;
}

/** Any other https origin. */
export interface ParsedCustom {
  ok: true;
  type: 'custom';
  url: string;
  /** host[:port], a default display name. */
  name: string;
}

export type ParsedContainerInput = ParsedCloudContainer | ParsedName | ParsedCustom;

const fail = (code: ParseErrorCode, message: string): ParseError => ({ ok: false, code, message });

/**
 * Vault and Managed HSM names: 3–24 characters, letters, digits and hyphens, starting with a letter, ending with a
 * letter or digit, no two hyphens in a row (Azure's naming rules for Microsoft.KeyVault). Undefined when valid.
 */
export function nameProblem(name: string): string | undefined {
  if (name.length < 3) return `"${name}" is too short: vault and HSM names have 3 to 24 characters.`;
  if (name.length > 24) return `"${name.slice(0, 30)}${name.length > 30 ? '…' : ''}" is too long: vault and HSM names have 3 to 24 characters.`;
  const bad = /[^A-Za-z0-9-]/.exec(name);
  if (bad) return `"${name}" contains "${bad[0]}": names may contain only letters, digits and hyphens.`;
  if (!/^[A-Za-z]/.test(name)) return `"${name}" must start with a letter.`;
  if (!/[A-Za-z0-9]$/.test(name)) return `"${name}" must end with a letter or digit.`;
  if (name.includes('--')) return `"${name}" contains two hyphens in a row, which names may not.`;
  return undefined;
}

function cloudSuffixMatch(hostname: string): { cloud: CloudDefinition; kind: ContainerKind; label: string } | undefined {
  for (const cloud of CLOUDS) {
    for (const [kind, suffix] of [['vault', cloud.keyVaultDnsSuffix], ['hsm', cloud.managedHsmDnsSuffix]] as const) {
      if (hostname === suffix) return { cloud, kind, label: '' };
      if (hostname.endsWith(`.${suffix}`)) return { cloud, kind, label: hostname.slice(0, -suffix.length - 1) };
    }
  }
  return undefined;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function parseContainerInput(input: string, activeCloud: CloudDefinition): ParsedContainerInput | ParseError {
  const text = input.trim();
  if (text === '') return fail('empty', 'Enter a vault or HSM URL (https://contoso.vault.azure.net) or just its name.');
  if (/\s/.test(text)) return fail('whitespace', 'A vault URL or name contains no spaces.');

  // "contoso" and "contoso/" are names; "contoso.vault.azure.net", "localhost:8443" and "https://…" are hosts.
  const bare = text.replace(/\/+$/, '');
  const looksLikeHost = SCHEME.test(text) || /[./:]/.test(bare);
  if (!looksLikeHost) {
    const problem = nameProblem(bare);
    if (problem) return fail('invalid-name', problem);
    if (activeCloud.keyVaultDnsSuffix === 'invalid.') {
      return fail('no-suffix', `${activeCloud.displayName} has no vault DNS suffix: enter the vault's full https URL.`);
    }
    const name = bare.toLowerCase();
    return {
      ok: true,
      type: 'name',
      name,
      cloud: activeCloud,
      candidates: [
        { kind: 'vault', url: `https://${name}.${activeCloud.keyVaultDnsSuffix}` },
        { kind: 'hsm', url: `https://${name}.${activeCloud.managedHsmDnsSuffix}` },
      ],
    };
  }

  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http') return fail('not-https', 'Key Vault is reached over HTTPS only: use https://.');
  if (scheme !== undefined && scheme !== 'https') return fail('bad-url', `"${scheme}://" is not a vault address: use https://.`);
  let url: URL;
  try {
    url = new URL(scheme ? text : `https://${text}`);
  } catch {
    return fail('bad-url', `"${text}" is not a valid URL.`);
  }
  if (url.username || url.password) return fail('credentials-in-url', 'Remove the user name or password from the URL: sign-in is separate.');
  const hostname = url.hostname.replace(/\.$/, '');
  if (hostname === '') return fail('bad-url', `"${text}" has no host name.`);

  const match = cloudSuffixMatch(hostname);
  if (match) {
    const what = match.kind === 'vault' ? 'vault' : 'Managed HSM';
    const suffix = match.kind === 'vault' ? match.cloud.keyVaultDnsSuffix : match.cloud.managedHsmDnsSuffix;
    if (match.label === '' || match.label.includes('.')) {
      return fail('bad-host', `${hostname} is not a ${what} host: a ${what} URL looks like https://{name}.${suffix}.`);
    }
    const problem = nameProblem(match.label);
    if (problem) return fail('invalid-name', problem);
    if (url.port !== '') return fail('bad-port', `${what} hosts answer on port 443 only; remove ":${url.port}".`);
    return { ok: true, type: 'cloud', kind: match.kind, name: match.label, url: `https://${hostname}`, cloud: match.cloud };
  }
  return { ok: true, type: 'custom', url: url.origin, name: url.host };
}
