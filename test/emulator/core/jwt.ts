import { createPrivateKey, createPublicKey, createSign, createVerify, generateKeyPairSync, KeyObject } from 'node:crypto';

export interface TokenClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  appid: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: '1.0' | '2.0';
  xms_cc?: string[];
  [claim: string]: unknown;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Signs and verifies RS256 JWTs with one key per emulator instance, as Entra ID would with its signing keys. */
export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(privatePem?: string) {
    if (privatePem) {
      this.privateKey = createPrivateKey(privatePem);
    } else {
      this.privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    }
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = createPublicKey(this.privateKey).export({ format: 'jwk' }).n!.slice(0, 16);
  }

  exportPrivatePem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  jwks(): unknown {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }

  sign(claims: TokenClaims): string {
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.privateKey);
    return `${header}.${body}.${b64url(signature)}`;
  }

  /**
   * Tokens whose signature already verified, by token string. A client sends the same token with every request for
   * its lifetime, and an RSA verification per request was the largest cost of a simple GET; expiry is still checked
   * on every use. Bounded: cleared when full (a test run issues far fewer tokens).
   */
  private readonly verified = new Map<string, TokenClaims>();
  private static readonly MAX_CACHED = 4096;

  /** Returns the claims of a token this signer issued, or a reason it is not acceptable. */
  verify(token: string): { claims: TokenClaims } | { reason: string } {
    const cached = this.verified.get(token);
    if (cached) return TokenSigner.checkTimes(cached);
    const result = this.verifySignature(token);
    if ('claims' in result) {
      if (this.verified.size >= TokenSigner.MAX_CACHED) this.verified.clear();
      this.verified.set(token, result.claims);
      return TokenSigner.checkTimes(result.claims);
    }
    return result;
  }

  private static checkTimes(claims: TokenClaims): { claims: TokenClaims } | { reason: string } {
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { reason: 'AKV10022: Token is expired.' };
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return { reason: 'AKV10023: Token is not yet valid.' };
    return { claims };
  }

  private verifySignature(token: string): { claims: TokenClaims } | { reason: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { reason: 'AKV10000: Request is missing a Bearer or PoP token.' };
    const [h, b, s] = parts as [string, string, string];
    let header: { alg?: string };
    let claims: TokenClaims;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
      claims = JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { reason: 'AKV10020: Invalid token format.' };
    }
    if (header.alg !== 'RS256') return { reason: 'AKV10021: Invalid token algorithm.' };
    const ok = createVerify('RSA-SHA256').update(`${h}.${b}`).verify(this.publicKey, Buffer.from(s, 'base64url'));
    if (!ok) return { reason: 'AKV10019: Invalid token signature.' };
    return { claims };
  }
}
