import { TillError } from '../errors';

export type PrinterTarget =
  | { kind: 'none' }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'os'; name: string }
  | { kind: 'file'; path: string };

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\d{1,3}(?:\.\d{1,3}){3})$/;

const bad = (target: string, why: string): TillError =>
  new TillError(
    'PRINTER_CONFIG',
    `The printer setting "${target.slice(0, 80)}" is not valid: ${why}.`,
  );

/** Reads the Settings printer string: `tcp://host:9100`, `printer:<name>`, `file:<path>` or `none`. */
export function parsePrinterTarget(raw: string): PrinterTarget {
  const target = raw.trim();
  if (target === '' || target === 'none') return { kind: 'none' };
  // eslint-disable-next-line no-control-regex -- a printer setting never legitimately holds control characters
  if (/[\u0000-\u001f\u007f]/.test(target)) throw bad(target, 'it contains control characters');
  if (/^tcp:/i.test(target)) {
    const m = /^tcp:\/\/([^/:\s]+)(?::(\d{1,5}))?\/?$/i.exec(target);
    if (!m?.[1]) throw bad(target, 'write a network printer as tcp://192.168.1.50:9100');
    const host = m[1];
    if (!HOST.test(host)) throw bad(target, `"${host}" is not a host name or IPv4 address`);
    if (/^\d/.test(host) && /^[\d.]+$/.test(host) && host.split('.').some((o) => Number(o) > 255))
      throw bad(target, `"${host}" is not an IPv4 address`);
    const port = m[2] === undefined ? 9100 : Number(m[2]);
    if (port < 1 || port > 65535)
      throw bad(target, 'the port must be between 1 and 65535 (usually 9100)');
    return { kind: 'tcp', host, port };
  }
  if (target.startsWith('printer:')) {
    const name = target.slice('printer:'.length).trim();
    if (!name || name.length > 200)
      throw bad(
        target,
        'give the printer name as the computer shows it, e.g. printer:EPSON TM-T20III',
      );
    return { kind: 'os', name };
  }
  if (target.startsWith('file:')) {
    const path = target.slice('file:'.length).trim();
    if (!path)
      throw bad(target, 'give a file name, e.g. file:receipts.bin (kept in the receipts folder)');
    return { kind: 'file', path };
  }
  throw bad(target, 'use tcp://host:9100, printer:<name>, file:<path> or none');
}

/** The reason a printer setting is refused, in plain words; null when it is valid. */
export function printerTargetProblem(raw: string): string | null {
  try {
    parsePrinterTarget(raw);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
