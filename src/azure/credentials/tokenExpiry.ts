/**
 * When an access token expires, read from its `exp` claim. VS Code's authentication sessions do not say, and the
 * challenge policy caches tokens by expiry: without this it would ask VS Code for a token on every request.
 * The token is not verified here (only its issuer can do that); an unreadable one counts as short-lived.
 */
export function tokenExpiry(accessToken: string, now = Date.now()): number {
  const fallback = now + 60_000;
  const payload = accessToken.split('.')[1];
  if (!payload) return fallback;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) && claims.exp * 1000 > now ? claims.exp * 1000 : fallback;
  } catch {
    return fallback;
  }
}
