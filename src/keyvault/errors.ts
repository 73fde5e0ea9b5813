/**
 * One error type for everything the service layer throws, with a user-facing hint. Messages never carry request
 * or response bodies (they may hold secret values), only Key Vault's own error code and message.
 */
export type KeyVaultErrorKind =
  | 'unauthorized'
  | 'forbidden-rbac'
  | 'forbidden-access-policy'
  | 'forbidden-firewall'
  | 'disabled'
  | 'not-found'
  | 'conflict-deleted'
  | 'conflict'
  | 'bad-request'
  | 'throttled'
  | 'server'
  | 'network'
  | 'tls'
  | 'timeout'
  | 'cancelled'
  | 'untrusted-host'
  | 'unknown';

export interface KeyVaultErrorInit {
  kind: KeyVaultErrorKind;
  message: string;
  status?: number;
  code?: string;
  innerCode?: string;
  requestId?: string;
  host?: string;
  hint?: string;
  retries?: number;
  cause?: unknown;
}

export class KeyVaultError extends Error {
  override readonly name = 'KeyVaultError';
  readonly kind: KeyVaultErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly innerCode?: string;
  readonly requestId?: string;
  readonly host?: string;
  /** What the user can do about it, in one or two sentences. */
  readonly hint: string;
  readonly retries?: number;

  constructor(init: KeyVaultErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.innerCode = init.innerCode;
    this.requestId = init.requestId;
    this.host = init.host;
    this.retries = init.retries;
    this.hint = init.hint ?? defaultHint(init.kind, init.host);
  }

  /** The message plus the hint, as shown to a user. */
  get userMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export const isKeyVaultError = (e: unknown): e is KeyVaultError => e instanceof KeyVaultError;

/** Family of the object a request was about, from its path (for hints that name the right role or permission). */
export type ObjectFamily = 'secrets' | 'keys' | 'certificates' | 'storage' | 'hsm';

export function familyFromPath(path: string): ObjectFamily | undefined {
  // Managed HSM role management lives under any scope, including /keys/providers/Microsoft.Authorization/….
  if (/\/providers\/microsoft\.authorization\//i.test(path)) return 'hsm';
  const first = path.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
  if (first === 'secrets' || first === 'deletedsecrets') return 'secrets';
  if (first === 'keys' || first === 'deletedkeys' || first === 'rng') return 'keys';
  if (first === 'certificates' || first === 'deletedcertificates') return 'certificates';
  if (first === 'storage' || first === 'deletedstorage') return 'storage';
  if (first === 'providers' || first === 'settings') return 'hsm';
  return undefined;
}

const RBAC_ROLE: Record<ObjectFamily, { read: string; write: string }> = {
  secrets: { read: 'Key Vault Secrets User', write: 'Key Vault Secrets Officer' },
  keys: { read: 'Key Vault Crypto User', write: 'Key Vault Crypto Officer' },
  certificates: { read: 'Key Vault Certificate User', write: 'Key Vault Certificates Officer' },
  storage: { read: 'Key Vault Reader', write: 'Key Vault Administrator' },
  hsm: { read: 'Managed HSM Crypto User', write: 'Managed HSM Administrator' },
};

function defaultHint(kind: KeyVaultErrorKind, host?: string): string {
  switch (kind) {
    case 'unauthorized':
      return 'Sign in again, or check that your account belongs to the tenant that owns this vault.';
    case 'forbidden-firewall':
      return `The vault's firewall does not allow your network. Add your IP address to the vault's firewall, or connect through its private endpoint or VPN.`;
    case 'not-found':
      return 'It may have been deleted; check the Deleted group, or refresh.';
    case 'conflict-deleted':
      return 'An object with this name is deleted but recoverable: recover it, or purge it first to reuse the name.';
    case 'throttled':
      return 'The vault is throttling requests; wait a moment and try again.';
    case 'server':
      return 'Key Vault had a temporary problem; try again.';
    case 'network':
      return `Could not reach ${host ?? 'the vault'}. Check your network, proxy (http.proxy) and DNS settings.`;
    case 'tls':
      return `The TLS certificate of ${host ?? 'the vault'} is not trusted. If you use a proxy or a private CA, set NODE_EXTRA_CA_CERTS or add the endpoint with its CA file; certificate checks are never skipped.`;
    case 'timeout':
      return `${host ?? 'The vault'} did not answer in time. Try again, or raise keyVault.requestTimeoutSeconds.`;
    case 'untrusted-host':
      return 'Tokens are only sent to Key Vault hosts of the active cloud or to endpoints you added explicitly.';
    default:
      return '';
  }
}

/** Builds the hint for a 403 from Key Vault's inner error code and message. */
export function forbiddenKind(innerCode: string | undefined, message: string): KeyVaultErrorKind {
  if (innerCode === 'ForbiddenByFirewall' || /Client address is not authorized/i.test(message)) return 'forbidden-firewall';
  if (innerCode === 'ForbiddenByRbac' || /Caller is not authorized to perform action/i.test(message)) return 'forbidden-rbac';
  if (innerCode && /Disabled$/.test(innerCode)) return 'disabled';
  if (/disabled/i.test(message) && !/permission/i.test(message)) return 'disabled';
  return 'forbidden-access-policy';
}

export function forbiddenHint(kind: KeyVaultErrorKind, family: ObjectFamily | undefined, method: string, message: string): string {
  const write = method !== 'GET';
  if (kind === 'forbidden-rbac') {
    const role = family ? RBAC_ROLE[family][write ? 'write' : 'read'] : 'Key Vault Reader';
    return `You need an Azure role on this vault such as "${role}" (RBAC permission model). Ask an owner to assign it, then refresh.`;
  }
  if (kind === 'forbidden-access-policy') {
    const m = /does not have (\w+) (\w+) permission/i.exec(message);
    const permission = m ? `${m[1]} ${m[2]}` : family ? `${family} ${write ? 'write' : 'get/list'}` : 'the needed';
    return `Your identity lacks the "${permission}" permission in the vault's access policies. Ask an owner to add it (Access policies in the portal), then refresh.`;
  }
  if (kind === 'disabled') return 'The object is disabled; enable it (Edit attributes) to use it.';
  return defaultHint(kind);
}
