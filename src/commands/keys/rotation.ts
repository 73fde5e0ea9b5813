// Pure: no 'vscode'. The rotation policy editor's model: readable labels for ISO 8601 durations, and Key Vault's
// rules checked before the round trip (the same rules the service applies, so a refusal comes with a reason at once).
import { durationLabel, tryParseIsoDuration, type IsoDuration } from '../../keyvault/crypto/duration';
import type { KeyRotationAction, KeyRotationLifetimeAction, KeyRotationPolicy } from '../../keyvault/models/keys';

const DAY = 86_400;

/** Seconds in a duration, counting a year as 365 days and a month as 30 (as Key Vault states its minimums in days). */
export function durationSeconds(d: IsoDuration): number {
  return (((d.years * 365 + d.months * 30 + d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds;
}

/** "P90D (90 days)"; text that is not a duration comes back as it is. */
export function labelled(text: string | undefined): string {
  if (!text) return '';
  const label = durationLabel(text);
  return label === text ? text : `${text} (${label})`;
}

/** Accepts P90D, p90d, or shorthands users type anyway: "90d", "90 days", "3 months", "1y", "48h". */
export function normalizeDuration(input: string): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const upper = text.toUpperCase();
  if (tryParseIsoDuration(upper)) return upper;
  const m = /^(\d{1,6})\s*(y|years?|mo|months?|w|weeks?|d|days?|h|hours?)$/i.exec(text);
  if (!m) return undefined;
  const n = m[1]!;
  const unit = m[2]!.toLowerCase();
  if (unit.startsWith('y')) return `P${n}Y`;
  if (unit.startsWith('mo')) return `P${n}M`;
  if (unit.startsWith('w')) return `P${n}W`;
  if (unit.startsWith('d')) return `P${n}D`;
  return `PT${n}H`;
}

/** Live validation of one duration field: a message, or undefined when it is fine (then `hint` says what it means). */
export function validateDuration(input: string, minimumDays: number, what: string): string | undefined {
  const iso = normalizeDuration(input);
  if (!iso) return `${what}: write an ISO 8601 duration such as P90D (90 days), P3M (3 months), P1Y (1 year) or PT48H (48 hours).`;
  const seconds = durationSeconds(tryParseIsoDuration(iso)!);
  if (seconds < minimumDays * DAY) return `${what} must be at least ${minimumDays} days; ${iso} is ${durationLabel(iso)}.`;
  return undefined;
}

/** One line per action: "Rotate 90 days after creation", "Notify 30 days before expiry". */
export function describeAction(a: KeyRotationLifetimeAction): string {
  if (a.timeAfterCreate) return `${a.action} ${durationLabel(a.timeAfterCreate)} after creation`;
  if (a.timeBeforeExpiry) return `${a.action} ${durationLabel(a.timeBeforeExpiry)} before expiry`;
  return a.action;
}

/** The policy as a few readable lines (for the editor's items, the log and tests). */
export function describePolicy(p: Pick<KeyRotationPolicy, 'lifetimeActions' | 'expiryTime'>): string[] {
  const lines = p.lifetimeActions.map(describeAction);
  lines.push(p.expiryTime ? `New versions expire ${durationLabel(p.expiryTime)} after creation` : 'New versions do not expire');
  if (!p.lifetimeActions.some((a) => a.action === 'Rotate')) lines.unshift('No automatic rotation');
  return lines;
}

export interface PolicyDraft {
  expiryTime?: string;
  lifetimeActions: KeyRotationLifetimeAction[];
}

/**
 * Key Vault's rules for a rotation policy: at most one Rotate and one Notify; one trigger each; Notify only before
 * expiry (and not on a Managed HSM); expiry at least 28 days; rotation at least 7 days after creation and 7 days
 * before expiry; a Rotate before expiry needs an expiry. Returns the problems in words (empty when it is fine).
 */
export function checkPolicyDraft(draft: PolicyDraft, containerKind: 'vault' | 'hsm'): string[] {
  const problems: string[] = [];
  const seconds = (text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const d = tryParseIsoDuration(text);
    return d ? durationSeconds(d) : NaN;
  };
  const expiry = seconds(draft.expiryTime);
  if (expiry !== undefined) {
    if (Number.isNaN(expiry)) problems.push(`Expiry '${draft.expiryTime}' is not an ISO 8601 duration.`);
    else if (expiry < 28 * DAY) problems.push(`Expiry must be at least 28 days; ${labelled(draft.expiryTime)} is shorter.`);
  }
  const seen = new Set<KeyRotationAction>();
  for (const a of draft.lifetimeActions) {
    if (seen.has(a.action)) problems.push(`A policy has at most one ${a.action} action.`);
    seen.add(a.action);
    const after = seconds(a.timeAfterCreate);
    const before = seconds(a.timeBeforeExpiry);
    if ((after === undefined) === (before === undefined)) {
      problems.push(`${a.action} needs exactly one trigger: a time after creation or a time before expiry.`);
      continue;
    }
    if (a.action === 'Notify' && containerKind === 'hsm') problems.push('Managed HSM does not send expiry notifications: only Rotate actions apply there.');
    if (after !== undefined) {
      if (a.action === 'Notify') problems.push('Notify can only be timed before expiry.');
      if (Number.isNaN(after)) problems.push(`'${a.timeAfterCreate}' is not an ISO 8601 duration.`);
      else if (after < 7 * DAY) problems.push(`Rotation must come at least 7 days after creation; ${labelled(a.timeAfterCreate)} is sooner.`);
      else if (expiry !== undefined && !Number.isNaN(expiry) && after > expiry - 7 * DAY) problems.push(`Rotation after ${durationLabel(a.timeAfterCreate!)} is too late: it must come at least 7 days before versions expire (${durationLabel(draft.expiryTime!)}).`);
    }
    if (before !== undefined) {
      if (Number.isNaN(before)) problems.push(`'${a.timeBeforeExpiry}' is not an ISO 8601 duration.`);
      else if (before < 7 * DAY) problems.push(`${a.action} before expiry must be at least 7 days; ${labelled(a.timeBeforeExpiry)} is shorter.`);
      else if (expiry !== undefined && !Number.isNaN(expiry) && before > expiry - 7 * DAY) problems.push(`${a.action} ${durationLabel(a.timeBeforeExpiry!)} before expiry leaves less than 7 days of a ${durationLabel(draft.expiryTime!)} lifetime.`);
      if (a.action === 'Rotate' && expiry === undefined) problems.push('Rotating before expiry needs an expiry time: set one, or rotate a time after creation instead.');
    }
  }
  return problems;
}
