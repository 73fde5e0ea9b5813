/** Parsed `WWW-Authenticate: Bearer k="v", …` (Key Vault, Entra CAE). */
export interface BearerChallenge {
  authorization?: string;
  resource?: string;
  scope?: string;
  tenantId?: string;
  error?: string;
  claims?: string;
}

export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const m = /^\s*Bearer\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g;
  for (let p = re.exec(m[1]!); p; p = re.exec(m[1]!)) {
    out[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  }
  const challenge: BearerChallenge = {};
  const authorization = out.authorization ?? out.authorization_uri;
  if (authorization) {
    challenge.authorization = authorization;
    try {
      const tenant = new URL(authorization).pathname.split('/').filter(Boolean)[0];
      if (tenant) challenge.tenantId = tenant;
    } catch {
      // An unparseable authority is rejected by the caller's trust check.
    }
  }
  if (out.resource) challenge.resource = out.resource;
  if (out.scope) challenge.scope = out.scope;
  if (out.error) challenge.error = out.error;
  if (out.claims) challenge.claims = out.claims;
  return challenge;
}
