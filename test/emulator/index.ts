export { startEmulator, type Emulator, type EmulatorOptions, type ReadyInfo } from './emulator';
export type { FaultRule, RateLimit } from './core/faults';
export { SUPPORTED_API_VERSIONS, LATEST_API_VERSION } from './core/pipeline';
export { TENANT_A, TENANT_B, defaultTopology } from './topology';
