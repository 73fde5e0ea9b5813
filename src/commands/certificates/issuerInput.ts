// Live checks for the issuer and contact prompts, with the service layer's rules (it checks again before sending).
// Pure: no 'vscode'; unit-tested in Node.
import { isValidDnsName } from '../../keyvault/certificates/names';
import { isValidObjectName } from '../../keyvault/identifiers';

/** Issuer names: 1-127 letters, digits and dashes; Self and Unknown are reserved. */
export function checkIssuerName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Give the issuer a name.';
  if (!isValidObjectName(name)) return 'Use 1-127 letters, digits and dashes.';
  if (/^(self|unknown)$/i.test(name)) return `${name} is built in; give your issuer another name.`;
  return undefined;
}

const MAILBOX = /^[^\s@"(),:;<>[\]\\]+@([^\s@]+)$/;

export function checkEmail(value: string): string | undefined {
  const m = MAILBOX.exec(value.trim());
  return m && isValidDnsName(m[1]!) ? undefined : `'${value.trim()}' is not a valid email address.`;
}
