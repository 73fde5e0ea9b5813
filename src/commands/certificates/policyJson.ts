// A certificate policy as the JSON document users edit, and back. Pure (no 'vscode'); unit-tested in Node.
import type { CertificatePolicy, LifetimeAction } from '../../keyvault/models/certificates';
import { validateCertificatePolicy } from '../../keyvault/certificates/policy';

/** Fields of the policy a user may change, in a stable order; `id` and `attributes` are Key Vault's own. */
export function editablePolicyJson(policy: CertificatePolicy): string {
  const editable = {
    issuer: policy.issuer,
    keyProperties: policy.keyProperties,
    secretProperties: policy.secretProperties,
    x509Properties: policy.x509Properties,
    lifetimeActions: policy.lifetimeActions,
  };
  return `${JSON.stringify(editable, null, 2)}\n`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function section(doc: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = doc[key];
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`"${key}" must be an object.`);
  return value;
}

const KNOWN = ['issuer', 'keyProperties', 'secretProperties', 'x509Properties', 'lifetimeActions', 'id', 'attributes'];

/**
 * Parses an edited policy document and checks it with the service layer's validator. Errors say where the problem
 * is (JSON syntax with its position, an unknown top-level field, a wrong type, or Key Vault's rule).
 */
export function parseEditedPolicy(text: string): CertificatePolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`The policy is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(doc)) throw new Error('The policy must be a JSON object.');
  const unknown = Object.keys(doc).filter((k) => !KNOWN.includes(k));
  if (unknown.length) throw new Error(`Unknown policy field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Expected ${KNOWN.slice(0, 5).join(', ')}.`);
  const actions = doc.lifetimeActions ?? [];
  if (!Array.isArray(actions) || !actions.every(isObject)) throw new Error('"lifetimeActions" must be a list of objects such as { "action": "AutoRenew", "lifetimePercentage": 80 }.');
  const policy: CertificatePolicy = {
    issuer: section(doc, 'issuer') as CertificatePolicy['issuer'],
    keyProperties: section(doc, 'keyProperties') as CertificatePolicy['keyProperties'],
    secretProperties: section(doc, 'secretProperties') as CertificatePolicy['secretProperties'],
    x509Properties: section(doc, 'x509Properties') as CertificatePolicy['x509Properties'],
    lifetimeActions: actions as unknown as LifetimeAction[],
  };
  const k = policy.keyProperties;
  if (k.keySize !== undefined && typeof k.keySize !== 'number') throw new Error('"keyProperties.keySize" must be a number, e.g. 2048.');
  for (const flag of ['exportable', 'reuseKey'] as const) if (k[flag] !== undefined && typeof k[flag] !== 'boolean') throw new Error(`"keyProperties.${flag}" must be true or false.`);
  const v = policy.x509Properties.validityInMonths;
  if (v !== undefined && typeof v !== 'number') throw new Error('"x509Properties.validityInMonths" must be a number, e.g. 12.');
  const sans = policy.x509Properties.subjectAlternativeNames;
  if (sans !== undefined) {
    if (!isObject(sans)) throw new Error('"x509Properties.subjectAlternativeNames" must be an object such as { "dnsNames": ["www.contoso.com"] }.');
    for (const [kind, list] of Object.entries(sans)) {
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw new Error(`"subjectAlternativeNames.${kind}" must be a list of strings.`);
    }
  }
  validateCertificatePolicy(policy);
  return policy;
}
