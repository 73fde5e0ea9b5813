import { badParameter } from './errors';
import type { RouteDef } from './types';

interface Compiled {
  route: RouteDef;
  segments: { literal?: string; param?: string; optional?: boolean }[];
  /** Segments a path must have (the others are optional): computed once, not per request. */
  required: number;
}

/** Matches request paths against route templates; literal segments win over parameters (`/secrets/restore` before `/secrets/{name}`). */
export class Router {
  private readonly compiled: Compiled[] = [];

  add(routes: readonly RouteDef[]): void {
    for (const route of routes) {
      const segments = route.path
        .split('/')
        .filter(Boolean)
        .map((s) => {
          const m = /^\{([^}?]+)(\?)?\}$/.exec(s);
          return m ? { param: m[1]!, optional: Boolean(m[2]) } : { literal: s.toLowerCase() };
        });
      this.compiled.push({ route, segments, required: segments.filter((s) => !s.optional).length });
    }
    // More literal segments first, so specific routes shadow generic ones.
    this.compiled.sort((a, b) => score(b) - score(a));
  }

  /** Returns the matching route, or `methodMismatch` when the path exists for another verb. */
  match(method: string, kind: 'vault' | 'hsm', path: string): { route: RouteDef; params: Record<string, string> } | { methodMismatch: boolean } {
    const parts = path.split('/').filter(Boolean).map(decodeSegment);
    let methodMismatch = false;
    for (const c of this.compiled) {
      if (parts.length < c.required || parts.length > c.segments.length || !c.route.on.includes(kind)) continue;
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route: c.route, params };
    }
    return { methodMismatch };
  }
}

/** A malformed escape (`/secrets/%`, `%E0%A4%A`) is the client's error, not a reason for a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badParameter(`The request URI contains an invalid escape sequence in '${segment}'.`);
  }
}

function score(c: Compiled): number {
  return c.segments.reduce((n, s, i) => n + (s.literal ? 1000 >> i : 0), c.segments.length);
}

function matchSegments(segments: Compiled['segments'], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const p = parts[i];
    if (p === undefined) {
      if (!s.optional) return undefined;
      params[s.param!] = '';
      continue;
    }
    if (s.literal !== undefined) {
      if (p.toLowerCase() !== s.literal) return undefined;
    } else {
      params[s.param!] = p;
    }
  }
  return params;
}
