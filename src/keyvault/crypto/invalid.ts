import { KeyVaultError } from '../errors';

/**
 * A request refused before it is sent: the same error type and kind as the service's 400, so callers handle both
 * alike. Messages name what is wrong, never a value (it may be key material or plaintext).
 */
export function invalidInput(message: string, hint?: string): KeyVaultError {
  return new KeyVaultError({ kind: 'bad-request', message, ...(hint ? { hint } : {}) });
}
