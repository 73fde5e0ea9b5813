import type { GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type * as Identity from '@azure/identity';
import type { CloudDefinition } from '../clouds';

/** Credentials chosen with the `keyVault.credential` setting (besides VS Code accounts and the emulator). */
export type IdentityKind = 'azureCli' | 'azureDeveloperCli' | 'environment' | 'managedIdentity';

export const IDENTITY_KINDS: readonly IdentityKind[] = ['azureCli', 'azureDeveloperCli', 'environment', 'managedIdentity'];

export const IDENTITY_LABELS: Record<IdentityKind, string> = {
  azureCli: 'Azure CLI',
  azureDeveloperCli: 'Azure Developer CLI',
  environment: 'Environment service principal',
  managedIdentity: 'Managed identity',
};

/** The part of @azure/identity we use; tests pass fakes that record what was constructed. */
export type IdentityModule = Pick<
  typeof Identity,
  'AzureCliCredential' | 'AzureDeveloperCliCredential' | 'EnvironmentCredential' | 'ManagedIdentityCredential' | 'ClientSecretCredential'
>;

let loaded: Promise<IdentityModule> | undefined;

/** @azure/identity (and MSAL under it) is big: loaded at first use, never during activation. */
export function loadIdentity(): Promise<IdentityModule> {
  loaded ??= import('@azure/identity');
  return loaded;
}

export interface IdentityOptions {
  /** User-assigned managed identity (`keyVault.managedIdentity.clientId`); empty = system-assigned. */
  managedIdentityClientId?: string;
}

/**
 * Builds the credential for a kind. Every credential that can switch tenants may do so for any tenant
 * (`additionallyAllowedTenants: ['*']`): the tenant comes from a vault's challenge, checked by the REST layer
 * against the host it came from.
 */
export function createIdentityCredential(identity: IdentityModule, kind: IdentityKind, cloud: CloudDefinition, options: IdentityOptions = {}): TokenCredential {
  const anyTenant = { additionallyAllowedTenants: ['*'] };
  switch (kind) {
    case 'azureCli':
      // The CLI signs in to its own cloud (`az cloud set`); it takes no authority host.
      return new identity.AzureCliCredential(anyTenant);
    case 'azureDeveloperCli':
      return new identity.AzureDeveloperCliCredential(anyTenant);
    case 'environment':
      // AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate); AZURE_AUTHORITY_HOST wins if set.
      return new identity.EnvironmentCredential({ ...anyTenant, authorityHost: process.env.AZURE_AUTHORITY_HOST || cloud.loginEndpoint });
    case 'managedIdentity': {
      const clientId = options.managedIdentityClientId?.trim();
      const credential = clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.ManagedIdentityCredential();
      return withoutTenant(credential);
    }
  }
}

/** A managed identity lives in one tenant and cannot be asked for another: drop the challenge's tenant. */
function withoutTenant(credential: TokenCredential): TokenCredential {
  return {
    getToken: (scopes, options?: GetTokenOptions) => {
      const { tenantId: _ignored, ...rest } = options ?? {};
      return credential.getToken(scopes, rest);
    },
  };
}
