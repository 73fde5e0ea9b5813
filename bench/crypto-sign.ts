import { createHash, createPublicKey, verify } from 'node:crypto';
import { CryptographyClient } from '@azure/keyvault-keys';
import { credentialOf, median, ourService } from './lib/clients';
import { startEmulatorProcess } from './lib/emulator-process';
import type { BenchContext, BenchRow } from './lib/types';

// `crypto-sign-1000`: 1,000 RS256 signatures of distinct digests through our crypto service vs the official
// CryptographyClient, same emulator, same key, one at a time (as a user signing in a loop would).

const N = 1000;

export default async function cryptoSign(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty']);
  try {
    const { ready } = emulator;
    const vault = ready.vaults[0]!.url;
    const credential = credentialOf(ready);
    const svc = ourService(ready, credential);
    const key = await svc.keys.create(vault, 'bench-sign', { kty: 'RSA', keySize: 2048 });
    const sdk = new CryptographyClient(key.id, credential, { disableChallengeResourceVerification: true });
    // The SDK client fetches the key once to decide local vs remote; warm both.
    await sdk.sign('RS256', createHash('sha256').update('warm').digest());
    await svc.crypto.sign(key, 'RS256', createHash('sha256').update('warm').digest());
    const n = Math.max(50, Math.round(N * ctx.scale));
    const digests = Array.from({ length: n }, (_, i) => createHash('sha256').update(`message-${i}`).digest());
    const rounds = Math.max(1, Math.round(3 * ctx.scale));
    const ours: number[] = [];
    const peer: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      let last: Uint8Array | undefined;
      for (const d of digests) last = (await svc.crypto.sign(key, 'RS256', d)).signature;
      ours.push(performance.now() - t);
      t = performance.now();
      for (const d of digests) await sdk.sign('RS256', d);
      peer.push(performance.now() - t);
      // One spot check that the signatures are real.
      const pub = createPublicKey({ key: { kty: 'RSA', n: key.key.n!, e: key.key.e! }, format: 'jwk' });
      if (!verify('sha256', Buffer.from(`message-${n - 1}`), pub, Buffer.from(last!))) throw new Error('signature did not verify');
    }
    svc.dispose();
    return [
      {
        name: 'crypto-sign-1000',
        unit: 'ms',
        ours: Math.round(median(ours)),
        peer: Math.round(median(peer)),
        goal: 'ratio <= 1',
        note: `${n} RS256 sign calls of distinct SHA-256 digests, sequential, RSA 2048 key in the emulator; peer: @azure/keyvault-keys CryptographyClient.sign with the same key; median of ${rounds}.`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}
