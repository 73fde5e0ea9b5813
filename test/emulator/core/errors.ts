/** An error answered to the client with Key Vault's error body: {"error":{"code","message","innererror"?}}. */
export class KvError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): unknown {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.innerCode) error.innererror = { code: this.innerCode };
    return { error };
  }
}

export const badParameter = (message: string): KvError => new KvError(400, 'BadParameter', message);
export const notFound = (code: string, message: string): KvError => new KvError(404, code, message);
export const conflict = (message: string): KvError => new KvError(409, 'Conflict', message);
