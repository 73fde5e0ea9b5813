import { cloudForHost } from '../azure/clouds';

export type ObjectCollection = 'keys' | 'secrets' | 'certificates' | 'storage' | 'deletedkeys' | 'deletedsecrets' | 'deletedcertificates' | 'deletedstorage';

export interface KeyVaultObjectId {
  /** The identifier as given, normalised (no trailing slash). */
  id: string;
  /** `https://host[:port]` of the vault or HSM. */
  vaultUrl: string;
  collection: ObjectCollection;
  name: string;
  version?: string;
}

const COLLECTIONS: readonly ObjectCollection[] = ['keys', 'secrets', 'certificates', 'storage', 'deletedkeys', 'deletedsecrets', 'deletedcertificates', 'deletedstorage'];
const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-zA-Z]{1,64}$/;
/** An id already in the form parseObjectId returns: origin (host and port apart), collection, name, version. */
const CANONICAL = /^(https:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::([1-9]\d{0,4}))?)\/([a-z]+)\/([0-9a-zA-Z-]{1,127})(?:\/([0-9a-zA-Z]{1,64}))?$/;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** True when the URL parser would leave host and port as written (no IPv4 rewriting, no default port to drop). */
function canonicalHost(host: string, port: string | undefined): boolean {
  if (port !== undefined && (port === '443' || Number(port) > 65535)) return false;
  // A host whose last label is a number (or 0x…) is an IPv4 address to the URL parser, which rewrites most forms.
  const last = host.slice(host.lastIndexOf('.') + 1);
  return /^(?:\d+|0x[0-9a-f]*)$/.test(last) ? DOTTED_QUAD.test(host) : true;
}

/**
 * Parses `https://{vault}/{collection}/{name}[/{version}]`, for any cloud or custom origin. Throws an Error whose
 * message says exactly what is wrong (shown to users who paste an identifier).
 */
export function parseObjectId(input: string): KeyVaultObjectId {
  // Every listed item goes through here: ids as the service writes them (lower-case host, no default port, plain
  // names) skip the URL parser, which costs more than the rest of mapping an item.
  const fast = CANONICAL.exec(input);
  if (fast && canonicalHost(fast[2]!, fast[3]) && (COLLECTIONS as readonly string[]).includes(fast[4]!)) {
    const [, vaultUrl, , , collection, name, version] = fast;
    return { id: input, vaultUrl: vaultUrl!, collection: collection as ObjectCollection, name: name!, ...(version ? { version } : {}) };
  }
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a URL. A Key Vault identifier looks like https://myvault.vault.azure.net/secrets/name/version.`);
  }
  if (url.protocol !== 'https:') throw new Error(`Key Vault identifiers use https, not ${url.protocol.replace(':', '')}.`);
  if (url.search || url.hash) throw new Error('A Key Vault identifier has no query string or fragment.');
  if (url.username || url.password) throw new Error('A Key Vault identifier has no user name or password.');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length < 2 || parts.length > 3) throw new Error(`Expected /{collection}/{name}[/{version}] after the host, got '${url.pathname}'.`);
  const collection = parts[0]!.toLowerCase() as ObjectCollection;
  if (!COLLECTIONS.includes(collection)) throw new Error(`Unknown collection '${parts[0]}': expected keys, secrets, certificates or storage.`);
  const name = decodePart(parts[1]!);
  if (!NAME.test(name)) throw new Error(`'${name}' is not a valid name: 1-127 letters, digits and dashes.`);
  const version = parts[2] !== undefined ? decodePart(parts[2]) : undefined;
  if (version !== undefined && !VERSION.test(version)) throw new Error(`'${version}' is not a valid version.`);
  const vaultUrl = url.origin;
  const id = `${vaultUrl}/${collection}/${name}${version ? `/${version}` : ''}`;
  return { id, vaultUrl, collection, name, ...(version ? { version } : {}) };
}

/** A path segment with its %XX escapes decoded; a broken escape is the user's typo, said plainly. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Error(`'${part}' has a broken %-escape: paste the identifier as Key Vault shows it.`);
  }
}

export function buildObjectId(vaultUrl: string, collection: ObjectCollection, name: string, version?: string): string {
  const origin = new URL(vaultUrl).origin;
  if (!NAME.test(name)) throw new Error(`'${name}' is not a valid name: 1-127 letters, digits and dashes.`);
  return `${origin}/${collection}/${encodeURIComponent(name)}${version ? `/${encodeURIComponent(version)}` : ''}`;
}

/** `vault`, `hsm`, or undefined for hosts outside the known clouds (custom endpoints). */
export function containerKindOf(vaultUrl: string): 'vault' | 'hsm' | undefined {
  return cloudForHost(new URL(vaultUrl).hostname)?.kind;
}

export const isValidObjectName = (name: string): boolean => NAME.test(name);
