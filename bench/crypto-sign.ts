import { createHash, createPublicKey, verify } from 'node:crypto';
import { CryptographyClient } from '@azure/keyvault-keys';
import { credentialOf, median, ourService } from './lib/clients';
import { startEmulatorProcess } from './lib/emulator-process';
import type { BenchContext, BenchRow } from './lib/types';

// `crypto-sign-1000`: 1,000 RS256 signatures of distinct digests through our crypto service vs the official
// CryptographyClient, same emulator, same key, one at a time (as a user signing in a loop would).

const N = 1000;

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

export default async function cryptoSign(ctx: BenchContext): Promise<BenchRow[]> {
  const emulator = await startEmulatorProcess(ctx, ['--seed', 'empty']);
  try {
    const { ready } = emulator;
    const vault = ready.vaults[0]!.url;
    const credential = credentialOf(ready);
    const svc = ourService(ready, credential);
    const key = await svc.keys.create(vault, 'bench-sign', { kty: 'RSA', keySize: 2048 });
    const sdk = new CryptographyClient(key.id, credential, { disableChallengeResourceVerification: true });
    // The SDK client fetches the key once to decide local vs remote; warm both (and both processes' JIT: the first
    // round used to be the slowest for both by half).
    for (let i = 0; i < 100; i++) {
      await sdk.sign('RS256', createHash('sha256').update(`warm-${i}`).digest());
      await svc.crypto.sign(key, 'RS256', createHash('sha256').update(`warm-${i}`).digest());
    }
    const n = Math.max(50, Math.round(N * ctx.scale));
    const digests = Array.from({ length: n }, (_, i) => createHash('sha256').update(`message-${i}`).digest());
    const rounds = Math.max(1, Math.round(3 * ctx.scale));
    const ours: number[] = [];
    const peer: number[] = [];
    const oursCpu: number[] = [];
    const peerCpu: number[] = [];
    const pub = createPublicKey({ key: { kty: 'RSA', n: key.key.n!, e: key.key.e! }, format: 'jwk' });
    for (let r = 0; r < rounds; r++) {
      // Call by call in turn (who goes first alternates too), so that the machine's load, which changes by the
      // second here, weighs on both sides alike; each side's time is the sum of its own calls.
      let oursMs = 0;
      let peerMs = 0;
      let oursMicros = 0;
      let peerMicros = 0;
      let last: Uint8Array | undefined;
      for (const [i, d] of digests.entries()) {
        for (const side of (i + r) % 2 === 0 ? (['ours', 'sdk'] as const) : (['sdk', 'ours'] as const)) {
          const cpu = process.cpuUsage();
          const t = performance.now();
          if (side === 'ours') last = (await svc.crypto.sign(key, 'RS256', d)).signature;
          else await sdk.sign('RS256', d);
          const ms = performance.now() - t;
          if (side === 'ours') {
            oursMs += ms;
            oursMicros += cpuMicros(cpu);
          } else {
            peerMs += ms;
            peerMicros += cpuMicros(cpu);
          }
        }
      }
      ours.push(oursMs);
      peer.push(peerMs);
      oursCpu.push(oursMicros / n);
      peerCpu.push(peerMicros / n);
      // One spot check that the signatures are real.
      if (!verify('sha256', Buffer.from(`message-${n - 1}`), pub, Buffer.from(last!))) throw new Error('signature did not verify');
      ctx.log(`crypto-sign: round ${r + 1}: ours ${Math.round(oursMs)} ms, SDK ${Math.round(peerMs)} ms`);
    }
    svc.dispose();
    return [
      {
        name: 'crypto-sign-1000',
        unit: 'ms',
        ours: Math.round(median(ours)),
        peer: Math.round(median(peer)),
        goal: 'ratio <= 1',
        note: `${n} RS256 sign calls of distinct SHA-256 digests, sequential, RSA 2048 key in the emulator; peer: @azure/keyvault-keys CryptographyClient.sign with the same key; median of ${rounds}; the two clients take turns call by call. Wall time is mostly the emulator's RSA signing (the same for both); client CPU per call: ours ${Math.round(median(oursCpu))} µs, SDK ${Math.round(median(peerCpu))} µs.`,
      },
    ];
  } finally {
    await emulator.stop();
  }
}
