import { badParameter } from '../../core/errors';
import { nowSeconds } from '../../core/ids';
import type { Container } from '../../core/types';
import type { StoredLifetimeAction, StoredRotationPolicy } from './model';

const DAY = 86400;
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * An ISO 8601 duration in seconds (a year counts 365 days, a month 30, as Key Vault's minimums are stated in days).
 * Returns undefined for anything that is not a duration.
 */
export function durationSeconds(value: string): number | undefined {
  const m = DURATION.exec(value);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
  return (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s;
}

function duration(value: unknown, property: string): { text: string; seconds: number } {
  if (typeof value !== 'string') throw badParameter(`Property '${property}' has invalid value: expected an ISO 8601 duration such as P90D.`);
  const seconds = durationSeconds(value);
  if (seconds === undefined) throw badParameter(`Property '${property}' has invalid value '${value}': expected an ISO 8601 duration such as P90D, P3M, PT48H or P1Y10D.`);
  return { text: value, seconds };
}

/**
 * Validates a KeyRotationPolicy body with Key Vault's rules: at most one Rotate and one Notify action, each with one
 * trigger; expiryTime at least 28 days; rotation at least 7 days after creation and 7 days before expiry; notification
 * at least 7 days before expiry (and only on vaults).
 */
export function parseRotationPolicy(body: Record<string, unknown>, container: Container, previous?: StoredRotationPolicy): StoredRotationPolicy {
  const rawActions = body.lifetimeActions ?? [];
  if (!Array.isArray(rawActions)) throw badParameter("Property 'lifetimeActions' has invalid value: expected an array.");
  let expiry: { text: string; seconds: number } | undefined;
  const attributes = body.attributes;
  if (attributes !== undefined && attributes !== null) {
    if (typeof attributes !== 'object' || Array.isArray(attributes)) throw badParameter("Property 'attributes' has invalid value: expected an object.");
    const e = (attributes as Record<string, unknown>).expiryTime;
    if (e !== undefined && e !== null) {
      expiry = duration(e, 'attributes.expiryTime');
      if (expiry.seconds < 28 * DAY) throw badParameter(`The expiryTime '${expiry.text}' is too short: the expiry time of a key rotation policy must be at least 28 days (P28D).`);
    }
  }
  const actions: StoredLifetimeAction[] = [];
  for (const [i, raw] of rawActions.entries()) {
    const where = `lifetimeActions[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badParameter(`Property '${where}' has invalid value: expected an object with trigger and action.`);
    const { trigger, action } = raw as Record<string, unknown>;
    const typeRaw = (action as Record<string, unknown> | undefined)?.type;
    const type = typeof typeRaw === 'string' ? (['Rotate', 'Notify'] as const).find((t) => t.toLowerCase() === typeRaw.toLowerCase()) : undefined;
    if (!type) throw badParameter(`Property '${where}.action.type' has invalid value '${String(typeRaw)}': expected Rotate or Notify.`);
    if (actions.some((a) => a.action.type === type)) throw badParameter(`A key rotation policy can have only one ${type} action.`);
    if (type === 'Notify' && container.spec.kind === 'hsm') throw badParameter('Notify lifetime actions are not supported by Managed HSM; only Rotate is.');
    if (typeof trigger !== 'object' || trigger === null || Array.isArray(trigger)) throw badParameter(`Property '${where}.trigger' is required.`);
    const t = trigger as Record<string, unknown>;
    const hasAfter = t.timeAfterCreate !== undefined && t.timeAfterCreate !== null;
    const hasBefore = t.timeBeforeExpiry !== undefined && t.timeBeforeExpiry !== null;
    if (hasAfter === hasBefore) throw badParameter(`The trigger of ${where} must set exactly one of timeAfterCreate and timeBeforeExpiry.`);
    if (hasAfter) {
      if (type === 'Notify') throw badParameter('A Notify action can only be triggered by timeBeforeExpiry.');
      const after = duration(t.timeAfterCreate, `${where}.trigger.timeAfterCreate`);
      if (after.seconds < 7 * DAY) throw badParameter(`The rotation time '${after.text}' is too short: a key can be rotated at the earliest 7 days after it was created.`);
      if (expiry && after.seconds > expiry.seconds - 7 * DAY) {
        throw badParameter(`The rotation time '${after.text}' is too late: rotation must happen at least 7 days before the key expires (expiryTime ${expiry.text}).`);
      }
      actions.push({ trigger: { timeAfterCreate: after.text }, action: { type } });
    } else {
      const before = duration(t.timeBeforeExpiry, `${where}.trigger.timeBeforeExpiry`);
      if (before.seconds < 7 * DAY) throw badParameter(`The time before expiry '${before.text}' is too short: it must be at least 7 days.`);
      if (type === 'Rotate' && !expiry) throw badParameter('A Rotate action triggered by timeBeforeExpiry needs attributes.expiryTime in the policy.');
      if (expiry && before.seconds > expiry.seconds - 7 * DAY) {
        throw badParameter(`The time before expiry '${before.text}' must be at least 7 days shorter than the expiry time '${expiry.text}'.`);
      }
      actions.push({ trigger: { timeBeforeExpiry: before.text }, action: { type } });
    }
  }
  const now = nowSeconds();
  const policy: StoredRotationPolicy = { lifetimeActions: actions, created: previous?.created ?? now, updated: now };
  if (expiry) policy.expiryTime = expiry.text;
  return policy;
}

/** KeyRotationPolicy on the wire; a key without one answers Key Vault's default (notify 30 days before expiry). */
export function rotationPolicyOut(origin: string, name: string, policy: StoredRotationPolicy | undefined, container: Container): Record<string, unknown> {
  const id = `${origin}/keys/${name}/rotationpolicy`;
  if (!policy) {
    const lifetimeActions = container.spec.kind === 'hsm' ? [] : [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }];
    return { id, lifetimeActions, attributes: {} };
  }
  const attributes: Record<string, unknown> = {};
  if (policy.expiryTime) attributes.expiryTime = policy.expiryTime;
  attributes.created = policy.created;
  attributes.updated = policy.updated;
  return { id, lifetimeActions: policy.lifetimeActions, attributes };
}

/** The exp of a version created by rotation: now + the policy's expiryTime, when it has one. */
export function rotatedExpiry(policy: StoredRotationPolicy | undefined): number | undefined {
  if (!policy?.expiryTime) return undefined;
  const seconds = durationSeconds(policy.expiryTime);
  return seconds === undefined ? undefined : nowSeconds() + seconds;
}
