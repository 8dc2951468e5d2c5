import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { decodeEscPos, type DecodedReceipt } from './escpos-decoder';
import { renderReceiptPng } from './receipt-png';

/**
 * A network receipt printer in a box: listens like a raw port-9100 printer, answers the paper
 * status query (DLE EOT), captures each job and decodes it back to text. Tests and training mode
 * print to it; `--png DIR` also draws each receipt.
 */
export type CapturedJob = {
  n: number;
  at: string;
  bytes: Buffer;
  decoded: DecodedReceipt;
  pngFile: string | null;
};

export type VirtualPrinterOptions = {
  port?: number;
  host?: string;
  /** Characters per line for the decoded text and PNG: 48 (80 mm) or 32 (58 mm). */
  columns?: number;
  pngDir?: string | null;
  onJob?: (job: CapturedJob) => void;
};

export type VirtualPrinter = {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly jobs: readonly CapturedJob[];
  /** Paper out: status queries say so and jobs sent anyway are not printed. */
  setPaperOut(out: boolean): void;
  waitForJobs(count: number, timeoutMs?: number): Promise<CapturedJob[]>;
  close(): Promise<void>;
};

const STATUS_OK = 0x12;
const STATUS_PAPER_END = 0x72;

export async function startVirtualPrinter(
  options: VirtualPrinterOptions = {},
): Promise<VirtualPrinter> {
  const columns = options.columns ?? 48;
  const jobs: CapturedJob[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let paperOut = false;

  const capture = (bytes: Buffer) => {
    const decoded = decodeEscPos(bytes, { columns });
    const onlyStatus = decoded.items.length === 0;
    if (onlyStatus || paperOut) return;
    const n = jobs.length + 1;
    let pngFile: string | null = null;
    if (options.pngDir) {
      mkdirSync(options.pngDir, { recursive: true });
      pngFile = join(options.pngDir, `receipt-${String(n).padStart(4, '0')}.png`);
      writeFileSync(pngFile, renderReceiptPng(decoded, columns));
    }
    const job: CapturedJob = { n, at: new Date().toISOString(), bytes, decoded, pngFile };
    jobs.push(job);
    options.onJob?.(job);
    for (const w of waiters) w();
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    let prev: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const scan = Buffer.concat([prev, chunk]);
      for (let i = 0; i + 2 < scan.length; i++) {
        if (scan[i] === 0x10 && scan[i + 1] === 0x04 && i + 2 >= prev.length) {
          socket.write(Buffer.from([paperOut ? STATUS_PAPER_END : STATUS_OK]));
        }
      }
      prev = chunk.subarray(Math.max(0, chunk.length - 2));
    });
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      sockets.delete(socket);
      const bytes = Buffer.concat(chunks);
      if (bytes.length) capture(bytes);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    host,
    port: address.port,
    url: `tcp://${host}:${address.port}`,
    jobs,
    setPaperOut: (out) => void (paperOut = out),
    waitForJobs(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (jobs.length < count) return;
          cleanup();
          resolve(jobs.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `virtual printer: expected ${count} job(s), got ${jobs.length} after ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
