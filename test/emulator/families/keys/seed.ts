import { nowSeconds } from '../../core/ids';
import type { Container, RouteContext } from '../../core/types';
import { addKeyVersion, type NewKeyVersion } from './bundle';
import { generateKeyMaterial, type GenerateOptions } from './jwk';
import { keyStore, type KeyType, type PrivateJwk, type StoredRotationPolicy } from './model';

// RSA key generation takes seconds on small machines (RSA 4096 up to several), and most emulator starts never touch
// keys. So `--seed demo` only marks a container; its demo keys are generated on the first keys request there, which
// waits for them. The mark lives in the container's JSON state, so a `--state` file saved before that still seeds.

const MARK = 'keysDemoSeedPending';
const DAY = 86400;

let rsa4096: Promise<PrivateJwk> | undefined;
/** One RSA 4096 key pair per process for the demo HSM key: it is the slowest to make. */
const demoRsa4096 = (): Promise<PrivateJwk> => (rsa4096 ??= generateKeyMaterial('RSA-HSM', { keySize: 4096 }));

interface DemoKey extends Omit<NewKeyVersion, 'jwk'> {
  name: string;
  make: () => Promise<PrivateJwk>;
  /** Created this many days ago (older versions look older). */
  ageDays?: number;
  deleted?: boolean;
  rotationPolicy?: Omit<StoredRotationPolicy, 'created' | 'updated'>;
}

const gen = (kty: KeyType, options: GenerateOptions = {}) => () => generateKeyMaterial(kty, options);

function demoKeysFor(container: Container): DemoKey[] {
  const now = nowSeconds();
  if (container.spec.kind === 'hsm') {
    return [
      { name: 'hsm-rsa-key', kty: 'RSA-HSM', make: gen('RSA-HSM', { keySize: 2048 }), tags: { app: 'payments', tier: 'hsm' }, ageDays: 12 },
      { name: 'hsm-ec-key', kty: 'EC-HSM', make: gen('EC-HSM', { crv: 'P-384' }), keyOps: ['sign', 'verify'], tags: { app: 'signing' }, ageDays: 5 },
      { name: 'hsm-aes-key', kty: 'oct-HSM', make: gen('oct-HSM', { keySize: 256 }), tags: { purpose: 'data-encryption' }, ageDays: 2 },
    ];
  }
  if (container.spec.name === 'kv-demo') {
    return [
      { name: 'app-signing-key', kty: 'RSA', make: gen('RSA', { keySize: 2048 }), tags: { app: 'orders', purpose: 'signing' }, ageDays: 40 },
      { name: 'app-signing-key', kty: 'RSA', make: gen('RSA', { keySize: 2048 }), tags: { app: 'orders', purpose: 'signing' }, ageDays: 3 },
      ...(container.spec.sku === 'premium' ? [{ name: 'hsm-root-key', kty: 'RSA-HSM' as const, make: demoRsa4096, tags: { owner: 'security-team' }, ageDays: 90 }] : []),
      {
        name: 'payments-ec-key',
        kty: 'EC',
        make: gen('EC', { crv: 'P-256' }),
        tags: { app: 'payments' },
        attributes: { exp: now + 365 * DAY },
        ageDays: 20,
        rotationPolicy: {
          lifetimeActions: [
            { trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } },
            { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } },
          ],
          expiryTime: 'P1Y',
        },
      },
      { name: 'legacy-ec-p384', kty: 'EC', make: gen('EC', { crv: 'P-384' }), tags: { status: 'retired' }, attributes: { enabled: false }, ageDays: 400 },
      { name: 'tls-key-expiring', kty: 'EC', make: gen('EC', { crv: 'P-256' }), tags: { rotate: 'monthly' }, attributes: { exp: now + 5 * DAY }, ageDays: 25 },
      { name: 'old-encryption-key', kty: 'RSA', make: gen('RSA', { keySize: 2048 }), tags: { app: 'legacy' }, ageDays: 200, deleted: true },
    ];
  }
  if (container.spec.name === 'kv-tenant2') {
    return [{ name: 'fabrikam-signing-key', kty: 'EC', make: gen('EC', { crv: 'P-256K' }), tags: { tenant: 'fabrikam' }, ageDays: 8 }];
  }
  return [];
}

/** Marks the containers that get demo keys; see `ensureDemoKeys`. */
export function markDemoKeys(container: Container): void {
  if (demoKeysFor(container).length > 0) container.data.extra[MARK] = true;
}

const pending = new WeakMap<Container, Promise<void>>();

/**
 * Starts making a marked container's demo keys now, in the background (key generation runs on libuv's thread
 * pool), so that the first keys request of an interactive session (`npm start`) does not wait seconds for them.
 */
export function warmDemoKeys(container: Container, save: () => void): void {
  if (container.data.extra[MARK] !== true) return;
  void ensureDemoKeys({ container, save } as RouteContext).catch(() => undefined);
}

/** Generates a marked container's demo keys once; every keys request awaits this before it runs. */
export async function ensureDemoKeys(ctx: Pick<RouteContext, 'container' | 'save'>): Promise<void> {
  const container = ctx.container;
  if (container.data.extra[MARK] !== true) return;
  let p = pending.get(container);
  if (!p) {
    p = seedDemoKeys(container).then(
      () => {
        delete container.data.extra[MARK];
        ctx.save();
      },
      (err: unknown) => {
        pending.delete(container);
        throw err;
      },
    );
    pending.set(container, p);
  }
  await p;
}

async function seedDemoKeys(container: Container): Promise<void> {
  const keys = demoKeysFor(container);
  const materials = await Promise.all(keys.map((k) => k.make()));
  const now = nowSeconds();
  const store = keyStore(container);
  keys.forEach(({ name, make: _make, ageDays, deleted, rotationPolicy, ...input }, i) => {
    const { object, record } = addKeyVersion(container, name, { ...input, jwk: materials[i]! });
    if (ageDays) record.attributes.created = record.attributes.updated = now - ageDays * DAY;
    if (rotationPolicy) object.meta.rotationPolicy = { ...rotationPolicy, created: now - (ageDays ?? 0) * DAY, updated: now - (ageDays ?? 0) * DAY };
    if (deleted) store.softDelete(name);
  });
}
