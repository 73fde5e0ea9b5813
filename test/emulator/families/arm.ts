import type { ArmContext } from '../core/types';
import type { JsonResponse } from '../core/types';
import { KvError } from '../core/errors';

/** Minimal Azure Resource Manager + Resource Graph. */
export function handleArmRequest(ctx: ArmContext): JsonResponse | Promise<JsonResponse> {
  throw new KvError(404, 'NotFound', `No ARM route for ${ctx.method} ${ctx.url.pathname}`);
}
