import { badParameter } from '../../core/errors';
import { requireObject } from '../../core/validate';
import type { JsonResponse, RouteContext } from '../../core/types';
import { knowsCaller, requireAction } from './access';
import { DEFAULT_SETTINGS, hsmState } from './state';

/** Account settings of a Managed HSM; all known settings are booleans carried as the strings "true"/"false". */

const settingOut = (name: string, value: string) => ({ name, value, type: 'boolean' });

function settingName(ctx: RouteContext): string {
  const asked = ctx.params['setting-name']!;
  const name = Object.keys(DEFAULT_SETTINGS).find((n) => n.toLowerCase() === asked.toLowerCase());
  if (!name) throw badParameter(`'${asked}' is not a valid setting name. Valid settings: ${Object.keys(DEFAULT_SETTINGS).join(', ')}.`);
  return name;
}

function requireReader(ctx: RouteContext): void {
  if (!knowsCaller(ctx)) requireAction(ctx, 'settings/read', '/');
}

export function listSettings(ctx: RouteContext): JsonResponse {
  requireReader(ctx);
  const settings = hsmState(ctx.container).settings;
  return { body: { settings: Object.keys(DEFAULT_SETTINGS).map((n) => settingOut(n, settings[n] ?? DEFAULT_SETTINGS[n]!)) } };
}

export function getSetting(ctx: RouteContext): JsonResponse {
  requireReader(ctx);
  const name = settingName(ctx);
  return { body: settingOut(name, hsmState(ctx.container).settings[name] ?? DEFAULT_SETTINGS[name]!) };
}

export function updateSetting(ctx: RouteContext): JsonResponse {
  // Only the HSM's administrators change account settings.
  if (ctx.container.spec.permissions[ctx.caller.identity.handle] !== 'all') requireAction(ctx, 'settings/write', '/');
  const name = settingName(ctx);
  const body = requireObject(ctx.body, 'UpdateSetting');
  if (typeof body.value !== 'string') throw badParameter("Property 'value' is required and must be a string.");
  const value = body.value.toLowerCase();
  if (value !== 'true' && value !== 'false') throw badParameter(`The value '${body.value}' is not valid for the boolean setting '${name}': use "true" or "false".`);
  hsmState(ctx.container).settings[name] = value;
  ctx.save();
  return { body: settingOut(name, value) };
}
