import { KeyVaultHttp, type KeyVaultClientConfig } from './http/client';
import { RestSecretsService, type SecretsService } from './secrets';
import { RestKeysService, type KeysService } from './keys';
import { RestCryptoService, type CryptoService } from './crypto';
import { RestStorageService, type StorageService } from './storage';
import { RestCertificatesService, type CertificatesService } from './certificates';
import { RestHsmService, type HsmService } from './hsm';

/**
 * Everything the UI may ask of Key Vault, one service per object family. The tree, commands and webviews depend on
 * this interface only; tests swap the factory.
 */
export interface KeyVaultService {
  readonly secrets: SecretsService;
  readonly keys: KeysService;
  readonly crypto: CryptoService;
  readonly storage: StorageService;
  readonly certificates: CertificatesService;
  readonly hsm: HsmService;
  /** Round trips sent so far (benchmarks and tests). */
  requestCount(): number;
  /** Registers a custom endpoint (emulator, private proxy) that may receive tokens; exact origin match. */
  addCustomEndpoint(endpoint: { origin: string; authorityHost?: string; ca?: string }): void;
  dispose(): void;
}

export type KeyVaultServiceFactory = (config: KeyVaultClientConfig) => KeyVaultService;

export const restServiceFactory: KeyVaultServiceFactory = (config) => {
  const http = new KeyVaultHttp(config);
  return {
    secrets: new RestSecretsService(http),
    keys: new RestKeysService(http),
    crypto: new RestCryptoService(http),
    storage: new RestStorageService(http),
    certificates: new RestCertificatesService(http),
    hsm: new RestHsmService(http),
    requestCount: () => http.requestCount,
    addCustomEndpoint: (e) => http.addCustomEndpoint(e),
    dispose: () => http.dispose(),
  };
};

let factoryOverride: KeyVaultServiceFactory | undefined;

/** Tests inject an alternative (e.g. one that records calls) without touching the UI code. */
export function setServiceFactoryForTests(factory: KeyVaultServiceFactory | undefined): void {
  factoryOverride = factory;
}

export function createKeyVaultService(config: KeyVaultClientConfig): KeyVaultService {
  return (factoryOverride ?? restServiceFactory)(config);
}
