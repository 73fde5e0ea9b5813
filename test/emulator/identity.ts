import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from './core/http';
import type { TokenSigner } from './core/jwt';
import type { IdentitySpec, Topology } from './core/types';

export interface IdentityDeps {
  topology: Topology;
  signer: TokenSigner;
  authorityHost: string;
  /** Origins tokens may be issued for: every vault/HSM origin and the ARM endpoint. */
  knownResources: () => string[];
  tokenLifetimeSeconds: () => number;
  /** Counts token requests, so tests can see a refresh happen. */
  onTokenIssued(identity: IdentitySpec, tenantId: string, resource: string): void;
}

const aadError = (res: ServerResponse, status: number, error: string, description: string): void =>
  send(res, status, { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)], timestamp: new Date().toISOString(), trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID() });

/**
 * An Entra-ID-like token service: the OpenID configuration, signing keys and the client-credentials token endpoint,
 * enough for @azure/identity's ClientSecretCredential with `disableInstanceDiscovery: true`.
 */
export async function handleIdentityRequest(deps: IdentityDeps, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', deps.authorityHost);
  const parts = url.pathname.split('/').filter(Boolean);
  const tenant = parts[0] ?? '';
  const rest = parts.slice(1).join('/');
  const method = (req.method ?? 'GET').toUpperCase();
  const base = `${deps.authorityHost}/${tenant}`;

  if (method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')) {
    if (!deps.topology.tenants.some((t) => t.tenantId === tenant)) {
      aadError(res, 400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
      return true;
    }
    send(res, 200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/openid/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'NA',
      cloud_instance_name: new URL(deps.authorityHost).host,
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    });
    return true;
  }
  if (method === 'GET' && rest === 'discovery/v2.0/keys') {
    send(res, 200, deps.signer.jwks());
    return true;
  }
  if (method === 'POST' && rest === 'oauth2/v2.0/token') {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials') {
      aadError(res, 400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${form.get('grant_type')}'.`);
      return true;
    }
    if (!deps.topology.tenants.some((t) => t.tenantId === tenant)) {
      aadError(res, 400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
      return true;
    }
    const identity = deps.topology.identities.find((i) => i.clientId === clientId);
    if (!identity || !identity.tenants.includes(tenant)) {
      aadError(res, 400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
      return true;
    }
    if (clientSecret !== identity.clientSecret) {
      aadError(res, 401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
      return true;
    }
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    const resource = scope?.slice(0, -'/.default'.length).replace(/\/$/, '');
    if (!resource || !deps.knownResources().includes(resource)) {
      aadError(res, 400, 'invalid_resource', `AADSTS500011: The resource principal named ${resource ?? '(none)'} was not found in the tenant named ${tenant}.`);
      return true;
    }
    const now = Date.now();
    const lifetime = deps.tokenLifetimeSeconds();
    const iat = Math.floor(now / 1000);
    const token = deps.signer.sign({
      aud: resource,
      iss: `https://sts.windows.net/${tenant}/`,
      tid: tenant,
      oid: identity.objectId,
      appid: identity.clientId,
      sub: identity.objectId,
      iat,
      iat_ms: now,
      nbf: iat,
      exp: iat + lifetime,
      ver: '1.0',
      idtyp: 'app',
    });
    deps.onTokenIssued(identity, tenant, resource);
    send(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
    return true;
  }
  return false;
}
