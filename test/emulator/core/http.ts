import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { KvError } from './errors';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // The rest of the upload is never read, so the connection cannot carry another request: close it after the answer
    // (otherwise a keep-alive client's next request on it waits forever).
    if (size > MAX_BODY_BYTES) throw new KvError(413, 'RequestEntityTooLarge', 'The request body is too large.', undefined, { connection: 'close' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType && !/json/i.test(contentType) && !/^text\/plain/i.test(contentType)) {
    throw new KvError(415, 'UnsupportedMediaType', `The content type '${contentType}' is not supported. Use application/json.`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new KvError(400, 'BadParameter', 'The request body is not valid JSON.');
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    expires: '-1',
    'x-ms-request-id': randomUUID(),
    'x-content-type-options': 'nosniff',
    'strict-transport-security': 'max-age=31536000;includeSubDomains',
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof KvError) {
    send(res, err.status, err.toBody(), err.headers);
    return;
  }
  // A bug in the emulator must still look like a service error, never a crash or a stack trace.
  send(res, 500, { error: { code: 'InternalServerError', message: 'The emulator hit an internal error.' } });
  if (process.env.KEYVAULT_EMULATOR_DEBUG) console.error(err);
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
