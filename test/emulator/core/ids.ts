import { randomBytes, randomUUID } from 'node:crypto';

/** Key Vault object versions are 32 lowercase hex characters. */
export const newVersion = (): string => randomBytes(16).toString('hex');
export const newGuid = (): string => randomUUID();
/** Key Vault attributes carry Unix time in whole seconds. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const NAME_RULE = /^[0-9a-zA-Z-]{1,127}$/;
