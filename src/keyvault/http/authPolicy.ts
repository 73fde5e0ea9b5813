import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import { KeyVaultError } from '../errors';
import { parseBearerChallenge } from './challenge';
import { TrustedHosts, type TrustDecision } from './trust';

export const challengeAuthPolicyName = 'keyVaultChallengeAuthPolicy';

interface ChallengeState {
  scope: string;
  tenantId?: string;
}

/**
 * Key Vault challenge authentication. We do not use @azure/keyvault-common's policy because its only host check
 * is "request host is a subdomain of the challenge resource" and it can only be switched off, which custom
 * endpoints (emulators, proxies on other ports) would need: here a token goes to an origin only if it is under the
 * active cloud's Key Vault suffixes or was added explicitly (exact origin), and only for the resource and
 * authority that origin may name. Also handles CAE `insufficient_claims` challenges.
 */
export function challengeAuthPolicy(credential: TokenCredential, trust: TrustedHosts, onToken?: (tenantId: string | undefined) => void): PipelinePolicy {
  // One state per origin; a pipeline may serve several vaults.
  const states = new Map<string, ChallengeState>();
  // Tokens by tenant + scope, reused until two minutes before expiry (credentials cache too, but not all of them).
  const tokens = new Map<string, AccessToken>();
  const REFRESH_WINDOW_MS = 120_000;

  const getToken = async (request: PipelineRequest, state: ChallengeState, claims?: string, forceRefresh = false): Promise<AccessToken> => {
    const cacheKey = `${state.tenantId ?? ''}|${state.scope}`;
    const cached = tokens.get(cacheKey);
    if (cached && !claims && !forceRefresh && cached.expiresOnTimestamp - Date.now() > REFRESH_WINDOW_MS) return cached;
    const token = await credential.getToken(state.scope, {
      abortSignal: request.abortSignal,
      ...(state.tenantId ? { tenantId: state.tenantId } : {}),
      ...(claims ? { claims } : {}),
      enableCae: true,
    });
    if (!token) throw new KeyVaultError({ kind: 'unauthorized', message: 'The credential returned no token.' });
    tokens.set(cacheKey, token);
    onToken?.(state.tenantId);
    return token;
  };

  const refuse = (message: string, host: string): KeyVaultError => new KeyVaultError({ kind: 'untrusted-host', message, host });

  return {
    name: challengeAuthPolicyName,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      const decision = trust.decide(request.url);
      // A request that carries no token is harmless; but an untrusted host never gets one, and is refused outright
      // so that a mistyped or hostile URL fails loudly instead of silently sending data.
      if (!decision) throw refuse(`Refusing to contact ${url.host}: it is not a Key Vault host of the active cloud and was not added as a custom endpoint.`, url.host);
      request.headers.delete('Authorization');
      const origin = decision.origin.toLowerCase();
      let state = states.get(origin);
      const sentToken = state !== undefined;
      let originalBody: PipelineRequest['body'] | undefined;
      if (state) {
        request.headers.set('Authorization', `Bearer ${(await getToken(request, state)).token}`);
      } else {
        // The first request goes without a body: it will be answered 401, and big bodies should not travel twice.
        originalBody = request.body;
        request.body = undefined;
      }
      let response: PipelineResponse;
      try {
        response = await next(request);
      } finally {
        // Also when the attempt failed (connection refused or reset): the retry policy sends this request again,
        // and it must carry its body then.
        if (originalBody !== undefined) request.body = originalBody;
      }
      if (response.status !== 401) return response;
      const challenge = parseBearerChallenge(response.headers.get('WWW-Authenticate') ?? undefined);
      if (!challenge) return response;
      if (challenge.error === 'insufficient_claims' && challenge.claims && state) {
        const claims = Buffer.from(challenge.claims, 'base64').toString('utf8');
        request.headers.set('Authorization', `Bearer ${(await getToken(request, state, claims)).token}`);
        return next(request);
      }
      const resource = challenge.resource ?? challenge.scope?.replace(/\/\.default$/, '');
      if (!resource) return response;
      verifyChallenge(decision, resource, challenge.authorization, url.host);
      state = { scope: `${resource.replace(/\/+$/, '')}/.default`, ...(challenge.tenantId ? { tenantId: challenge.tenantId } : {}) };
      states.set(origin, state);
      // A 401 to a request that carried a token means that token is no longer good (expired, revoked): get a new one.
      request.headers.set('Authorization', `Bearer ${(await getToken(request, state, undefined, sentToken)).token}`);
      response = await next(request);
      return response;
    },
  };

  function verifyChallenge(decision: TrustDecision, resource: string, authorization: string | undefined, host: string): void {
    if (!TrustedHosts.resourceAllowed(decision, resource)) {
      throw refuse(`Refusing to send a token: ${host} asked for a token for '${resource}', which is not its own resource.`, host);
    }
    if (!authorization || !TrustedHosts.authorityAllowed(decision, authorization)) {
      throw refuse(`Refusing to send a token: ${host} named an unexpected sign-in authority '${authorization ?? '(none)'}'.`, host);
    }
  }
}
