// Checks the Create Certificate form and turns it into the service's friendly options and into the exact policy Key
// Vault will receive. Pure (no 'vscode', no DOM), unit-tested in Node; host side only (it uses the service layer's
// validators, which need Node).
import { KeyVaultError } from '../../keyvault/errors';
import { isValidObjectName } from '../../keyvault/identifiers';
import type { CreateCertificateOptions } from '../../keyvault/models/certificates';
import { checkSubjectAlternativeNames, parseSubject } from '../../keyvault/certificates/names';
import { buildCertificatePolicy, MAX_VALIDITY_MONTHS, policyToWire, RSA_KEY_SIZES } from '../../keyvault/certificates/policy';
import { splitList, type CreateCertificateForm, type FormField } from './formModel';

const message = (err: unknown): string => (err instanceof KeyVaultError ? err.userMessage : err instanceof Error ? err.message : String(err));

function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

export interface FormResult {
  /** Per-field messages; empty when the form can be submitted. */
  errors: Partial<Record<FormField, string>>;
  /** The service's input, when there are no errors. */
  options?: CreateCertificateOptions;
  /** The JSON body Key Vault will receive (`POST /certificates/{name}/create`), when there are no errors. */
  request?: Record<string, unknown>;
}

/**
 * Checks every field (messages name what is wrong and how to write it), then builds the policy with the service
 * layer's own builder — the same code that runs when the certificate is created — so the preview is what is sent.
 */
export function checkForm(form: CreateCertificateForm, existingIssuers: readonly string[] = []): FormResult {
  const errors: FormResult['errors'] = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the certificate a name.';
  else if (!isValidObjectName(name)) errors.name = `'${name}' is not a valid certificate name: use 1-127 letters, digits and dashes.`;

  const subject = form.subject.trim();
  const dnsNames = splitList(form.dnsNames);
  if (subject) {
    try {
      parseSubject(subject);
    } catch (err) {
      errors.subject = message(err);
    }
  }
  try {
    checkSubjectAlternativeNames({ dnsNames });
  } catch (err) {
    errors.dnsNames = message(err);
  }
  if (dnsNames.length > 100) errors.dnsNames = 'At most 100 DNS names.';
  if (!subject && dnsNames.length === 0) errors.subject = 'Give a subject (e.g. CN=www.contoso.com) or at least one DNS name.';

  const months = wholeNumber(form.validityMonths);
  if (months === undefined || months < 1 || months > MAX_VALIDITY_MONTHS) errors.validityMonths = `Give a whole number of months from 1 to ${MAX_VALIDITY_MONTHS}.`;

  const isEc = form.keyType.startsWith('EC');
  const keySize = wholeNumber(form.keySize);
  if (!isEc && (keySize === undefined || !RSA_KEY_SIZES.includes(keySize))) errors.keySize = `Use ${RSA_KEY_SIZES.join(', ')} bits.`;
  if (form.exportable && form.keyType.endsWith('-HSM')) errors.exportable = `A ${form.keyType} key never leaves the HSM, so it cannot be exportable.`;

  const issuer = form.issuer.trim();
  if (!issuer) errors.issuer = 'Choose an issuer.';
  else if (!/^(self|unknown)$/i.test(issuer) && existingIssuers.length > 0 && !existingIssuers.some((i) => i.toLowerCase() === issuer.toLowerCase())) {
    errors.issuer = `The vault has no issuer named '${issuer}'.`;
  }

  let lifetimeAction: CreateCertificateOptions['lifetimeAction'];
  if (form.lifetimeAction !== 'none') {
    const value = wholeNumber(form.lifetimeValue);
    if (form.lifetimeAction === 'AutoRenew' && /^unknown$/i.test(issuer)) {
      errors.lifetimeAction = 'A certificate whose issuer is Unknown cannot renew itself: choose Email contacts, or no action.';
    } else if (form.lifetimeTrigger === 'lifetimePercentage') {
      if (value === undefined || value < 1 || value > 99) errors.lifetimeValue = 'Give a whole percentage of the lifetime from 1 to 99.';
      else lifetimeAction = { action: form.lifetimeAction, lifetimePercentage: value };
    } else {
      const max = (months ?? 12) * 27;
      if (value === undefined || value < 1 || value > max) errors.lifetimeValue = `Give a whole number of days from 1 to ${max} (27 per month of validity).`;
      else lifetimeAction = { action: form.lifetimeAction, daysBeforeExpiry: value };
    }
  }

  // A Map, so tags named __proto__ or constructor are tags like any other (an object would drop or refuse them).
  const tagMap = new Map<string, string>();
  form.tags.forEach((t, i) => {
    const key = t.key.trim();
    if (!key && !t.value) return;
    if (!key) errors.tags = `Tag ${i + 1} has a value but no name.`;
    else if (key.length > 512 || t.value.length > 256) errors.tags = `Tag '${key.slice(0, 40)}' is too long: names up to 512, values up to 256 characters.`;
    else if (tagMap.has(key)) errors.tags = `Tag '${key}' appears twice.`;
    else tagMap.set(key, t.value);
  });
  if (tagMap.size > 15) errors.tags = 'Key Vault allows at most 15 tags.';
  const tags: Record<string, string> = Object.fromEntries(tagMap);

  for (const eku of form.ekus) if (!/^[0-2](\.\d+)+$/.test(eku)) errors.ekus = `Extended key usage '${eku}' is not an OID such as 1.3.6.1.5.5.7.3.1.`;

  if (Object.keys(errors).length > 0) return { errors };

  const options: CreateCertificateOptions = {
    ...(subject ? { subject } : {}),
    ...(dnsNames.length ? { dnsNames } : {}),
    validityInMonths: months!,
    keyType: form.keyType,
    ...(isEc ? { curve: form.curve } : { keySize: keySize! }),
    reuseKey: form.reuseKey,
    exportable: form.exportable,
    contentType: form.contentType,
    issuer,
    ...(form.certificateType.trim() && !/^(self|unknown)$/i.test(issuer) ? { certificateType: form.certificateType.trim() } : {}),
    ...(form.keyUsage.length ? { keyUsage: [...form.keyUsage] } : {}),
    ...(form.ekus.length ? { ekus: [...form.ekus] } : {}),
    ...(lifetimeAction ? { lifetimeAction } : {}),
    ...(form.enabled ? {} : { enabled: false }),
    ...(Object.keys(tags).length ? { tags } : {}),
  };
  try {
    return { errors, options, request: createRequestBody(options) };
  } catch (err) {
    return { errors: { form: message(err) } };
  }
}

/** The body of `POST /certificates/{name}/create`, built exactly as the service builds it. */
export function createRequestBody(options: CreateCertificateOptions): Record<string, unknown> {
  const policy = policyToWire(buildCertificatePolicy(options));
  if (policy.lifetime_actions?.length === 0) delete policy.lifetime_actions;
  const body: Record<string, unknown> = { policy };
  if (options.enabled !== undefined) body.attributes = { enabled: options.enabled };
  if (options.tags) body.tags = options.tags;
  return body;
}
