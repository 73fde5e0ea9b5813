import { cloudForHost, type CloudDefinition } from '../../azure/clouds';

/** An endpoint outside the cloud's Key Vault DNS suffixes that the user added explicitly (an emulator, a private proxy). */
export interface CustomEndpoint {
  /** Exact origin, e.g. `https://127.0.0.1:8443`. */
  origin: string;
  /** Authority the challenge may name (defaults to the cloud's login endpoint). */
  authorityHost?: string;
  /** PEM of a CA to trust for this origin only. */
  ca?: string;
}

/** Who may receive a token for which resource. */
export interface TrustDecision {
  origin: string;
  /** Resources a challenge from this origin may name (the token audience). */
  resources: string[];
  /** Origins the challenge's `authorization` URL may point at. */
  authorities: string[];
  custom?: CustomEndpoint;
}

const normalize = (u: string): string => u.replace(/\/+$/, '').toLowerCase();

/**
 * Decides whether a URL's host may receive a bearer token: a host under the active cloud's Key Vault or Managed HSM
 * DNS suffix, or a custom endpoint matched by exact origin. Anything else never sees a token.
 */
export class TrustedHosts {
  private readonly custom = new Map<string, CustomEndpoint>();

  constructor(
    readonly cloud: CloudDefinition,
    customEndpoints: readonly CustomEndpoint[] = [],
  ) {
    for (const c of customEndpoints) this.addCustom(c);
  }

  addCustom(endpoint: CustomEndpoint): void {
    const url = new URL(endpoint.origin);
    if (url.protocol !== 'https:') throw new Error(`Custom endpoint ${endpoint.origin} must use https.`);
    this.custom.set(url.origin.toLowerCase(), { ...endpoint, origin: url.origin });
  }

  removeCustom(origin: string): void {
    this.custom.delete(new URL(origin).origin.toLowerCase());
  }

  customFor(url: string): CustomEndpoint | undefined {
    return this.custom.get(new URL(url).origin.toLowerCase());
  }

  decide(url: string): TrustDecision | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (parsed.protocol !== 'https:') return undefined;
    const custom = this.custom.get(parsed.origin.toLowerCase());
    if (custom) {
      return { origin: parsed.origin, resources: [normalize(custom.origin)], authorities: [normalize(custom.authorityHost ?? this.cloud.loginEndpoint)], custom };
    }
    const match = cloudForHost(parsed.hostname);
    if (!match || match.cloud.id !== this.cloud.id || (parsed.port !== '' && parsed.port !== '443')) return undefined;
    const resource = match.kind === 'vault' ? this.cloud.keyVaultResource : this.cloud.managedHsmResource;
    return { origin: parsed.origin, resources: [normalize(resource)], authorities: [normalize(this.cloud.loginEndpoint)] };
  }

  /** True when the challenge's resource is one this origin may ask a token for. */
  static resourceAllowed(decision: TrustDecision, resource: string): boolean {
    return decision.resources.includes(normalize(resource));
  }

  static authorityAllowed(decision: TrustDecision, authorization: string): boolean {
    try {
      return decision.authorities.includes(normalize(new URL(authorization).origin));
    } catch {
      return false;
    }
  }
}
