import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TillError } from '../../src-shared/errors';
import { osPrintCommand } from './os-print-command';
import { describeTarget, type PrinterTarget } from './printer-target';

export type SendOptions = {
  /** Ask an Epson-type printer for its paper sensor first (DLE EOT 4); silent printers are fine. */
  statusQuery?: boolean;
  connectTimeoutMs?: number;
  statusTimeoutMs?: number;
  writeTimeoutMs?: number;
  signal?: AbortSignal;
  title?: string;
};

export type Transport = (
  target: PrinterTarget,
  bytes: Buffer,
  options?: SendOptions,
) => Promise<void>;

const DLE_EOT_PAPER = Buffer.from([0x10, 0x04, 0x04]);

const offline = (message: string, cause?: unknown): TillError =>
  new TillError('PRINTER_OFFLINE', message, { retryable: true, cause });

/** Turns a socket error into words a cashier can act on. */
export function explainSocketError(error: unknown, where: string, port: number): TillError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return offline(
        `The printer at ${where} refused the connection. Check it is switched on and listens on port ${port}.`,
        error,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return offline(
        `The printer address ${where} is an unknown host on this network. Check the printer address in Settings.`,
        error,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return offline(
        `The printer at ${where} cannot be reached from this till. Check the network cable or Wi-Fi.`,
        error,
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return offline(
        `The printer at ${where} dropped the connection while printing. It will be retried.`,
        error,
      );
    case undefined:
    default:
      return offline(
        `The printer at ${where} could not be used (${code ?? (error instanceof Error ? error.message : 'unknown error')}).`,
        error,
      );
  }
}

/** Paper sensor byte of DLE EOT 4: bits 5-6 set = paper end. Null when the byte is not a status. */
export function paperOutFromStatus(byte: number): boolean | null {
  if ((byte & 0x93) !== 0x12) return null;
  return (byte & 0x60) === 0x60;
}

function withTimeout<T>(
  ms: number,
  onTimeout: () => Error,
  run: (resolve: (v: T) => void, reject: (e: Error) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    run(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

async function sendTcp(host: string, port: number, bytes: Buffer, o: SendOptions): Promise<void> {
  const where = `${host}:${port}`;
  const connectMs = o.connectTimeoutMs ?? 3000;
  let socket: Socket | undefined;
  const abort = () => socket?.destroy(offline('Printing was stopped.'));
  o.signal?.addEventListener('abort', abort, { once: true });
  try {
    const s = await withTimeout<Socket>(
      connectMs,
      () =>
        offline(
          `The printer at ${where} did not answer within ${connectMs / 1000} s. Check it is switched on and on this network.`,
        ),
      (resolve, reject) => {
        socket = connect({ host, port });
        socket.once('connect', () => resolve(socket as Socket));
        socket.once('error', (e) => reject(explainSocketError(e, where, port)));
      },
    );
    s.on('error', () => undefined); // errors after connect surface through the write below
    if (o.statusQuery) {
      const status = await withTimeout<number | null>(
        o.statusTimeoutMs ?? 400,
        () => new Error('no status'),
        (resolve) => {
          s.once('data', (d: Buffer) => resolve(d[0] ?? null));
          s.write(DLE_EOT_PAPER);
        },
      ).catch(() => null);
      if (status !== null && paperOutFromStatus(status) === true) {
        throw offline(
          `The printer at ${where} is out of paper (or its cover is open). Load paper; waiting receipts will print then.`,
        );
      }
    }
    const writeMs = o.writeTimeoutMs ?? 10_000;
    await withTimeout<void>(
      writeMs,
      () =>
        offline(
          `The printer at ${where} stopped taking data for ${writeMs / 1000} s (paper jam or cover open?).`,
        ),
      (resolve, reject) => {
        s.once('error', (e) => reject(explainSocketError(e, where, port)));
        s.once('close', (hadError) => (hadError ? undefined : resolve()));
        s.end(bytes);
      },
    );
  } finally {
    o.signal?.removeEventListener('abort', abort);
    socket?.destroy();
  }
}

async function sendOs(name: string, bytes: Buffer, o: SendOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'opentill-print-'));
  const file = join(dir, 'receipt.bin');
  try {
    await writeFile(file, bytes);
    const cmd = osPrintCommand(process.platform, name, file, o.title ?? 'OpenTill receipt');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(cmd.command, cmd.args, {
        env: { ...process.env, ...cmd.env },
        stdio: ['ignore', 'ignore', 'pipe'],
        signal: o.signal,
        timeout: 20_000,
      });
      let stderr = '';
      child.stderr.on(
        'data',
        (d: Buffer) => (stderr += d.toString()).length > 2000 && (stderr = stderr.slice(-2000)),
      );
      child.once('error', (e) =>
        reject(
          offline(
            `The print command "${cmd.command}" could not run for printer "${name}" (${e.message}).`,
            e,
          ),
        ),
      );
      child.once('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              offline(
                `The system refused to print on "${name}": ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`,
              ),
            ),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sends rendered bytes to a printer target. Every failure is a TillError with the real reason. */
export const sendToPrinter: Transport = async (target, bytes, options = {}) => {
  switch (target.kind) {
    case 'none':
      throw new TillError(
        'PRINTER_CONFIG',
        'No receipt printer is set up. Choose one in Settings.',
      );
    case 'tcp':
      return sendTcp(target.host, target.port, bytes, options);
    case 'os':
      return sendOs(target.name, bytes, options);
    case 'file':
      try {
        await appendFile(target.path, bytes);
      } catch (error) {
        throw offline(
          `Could not write receipts to ${describeTarget(target)}: ${(error as Error).message}`,
          error,
        );
      }
      return;
  }
};
