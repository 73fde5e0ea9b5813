import { KvError } from '../../core/errors';
import type { Caller } from '../../core/types';

/** Errors in Azure Resource Manager's wording: {"error":{"code","message"}}. */

export function authorizationFailed(caller: Caller, action: string, scope: string): KvError {
  return new KvError(
    403,
    'AuthorizationFailed',
    `The client '${caller.identity.clientId}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export const missingApiVersion = (): KvError => new KvError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");

export const invalidApiVersion = (value: string, supported: readonly string[]): KvError =>
  new KvError(400, 'InvalidApiVersionParameter', `The api-version '${value}' is invalid. The supported versions are '${supported.join(',')}'.`);

export const subscriptionNotFound = (id: string): KvError => new KvError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);

export const resourceGroupNotFound = (rg: string): KvError => new KvError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);

export const resourceNotFound = (type: string, name: string, rg: string): KvError =>
  new KvError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);

/** A token from another tenant than the subscription's: ARM names the right tenant in its challenge. */
export function wrongTenant(authorityHost: string, subscriptionTenant: string, tokenTenant: string): KvError {
  return new KvError(
    401,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    undefined,
    { 'www-authenticate': `Bearer authorization_uri="${authorityHost}/${subscriptionTenant}", error="invalid_token", error_description="The access token is from the wrong issuer."` },
  );
}

export const badRequest = (code: string, message: string): KvError => new KvError(400, code, message);
