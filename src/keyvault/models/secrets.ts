import type { AttributesUpdate, DeletedInfo, ObjectAttributes } from './common';

export interface SecretProperties {
  id: string;
  vaultUrl: string;
  name: string;
  version?: string;
  contentType?: string;
  tags: Record<string, string>;
  /** True for secrets that back a certificate: read-only here. */
  managed: boolean;
  /** Key behind a certificate-backed secret. */
  keyId?: string;
  attributes: ObjectAttributes;
}

/** The only model that carries a value. Never log it, never put it in a tree item or webview state. */
export interface SecretWithValue {
  properties: SecretProperties;
  value: string;
}

export type DeletedSecret = SecretProperties & DeletedInfo;

export interface SetSecretOptions {
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: AttributesUpdate;
  abortSignal?: AbortSignal;
}

export interface UpdateSecretOptions {
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: AttributesUpdate;
  abortSignal?: AbortSignal;
}
