import { connect, type TLSSocket } from 'node:tls';

export interface LoadResult {
  requests: number;
  /** Answers with another status than `expectStatus`, and network errors. */
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  concurrency: number;
  durationMs: number;
  expectStatus?: number;
}

const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! : 0);
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection sending GETs back to back. A load generator must cost less than the server it
 * measures: node's http client spends about as much CPU per request as the emulator does, which on a two-core
 * machine would measure the client. This one writes a prepared request and reads Content-Length-framed answers.
 */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: ((status: number) => void) | undefined;
  private failed: ((err: Error) => void) | undefined;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    const fail = (err: Error): void => {
      const f = this.failed;
      this.pending = this.failed = undefined;
      f?.(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(url: URL): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: /^[\d.]+$/.test(url.hostname) ? undefined : url.hostname }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = resolve;
      this.failed = reject;
      this.socket.write(request);
    });
  }

  private parse(): void {
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
    const total = end + 4 + length;
    if (this.buffer.length < total) return;
    this.buffer = this.buffer.subarray(total);
    const done = this.pending;
    this.pending = this.failed = undefined;
    done?.(status);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** `concurrency` clients, each on its own keep-alive connection, sending GETs back to back for `durationMs`. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const expect = options.expectStatus ?? 200;
  const headerLines = Object.entries({ host: url.host, ...options.headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\n${headerLines}\r\n`, 'latin1');
  const latencies: number[] = [];
  let errors = 0;
  const connections = await Promise.all(Array.from({ length: options.concurrency }, () => Connection.open(url)));
  const start = performance.now();
  const end = start + options.durationMs;
  const worker = async (index: number): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const status = await connections[index]!.send(request);
        if (status === expect) latencies.push(performance.now() - t0);
        else errors += 1;
      } catch {
        errors += 1;
        connections[index] = await Connection.open(url);
      }
    }
  };
  await Promise.all(connections.map((_, i) => worker(i)));
  const seconds = (performance.now() - start) / 1000;
  for (const c of connections) c.close();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}
