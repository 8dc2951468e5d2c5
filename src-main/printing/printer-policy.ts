import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { TillError } from '../../src-shared/errors';
import { parsePrinterTarget } from './printer-target';

/**
 * Where a printer set from the Settings screen may point (docs/OPERATIONS.md, Printer targets).
 * The screen is reachable by anyone who can open the till, so a printer target must not become a
 * way to overwrite a file of the till's (the key file, the database) or to probe the shop's
 * network: `file:` only inside the receipts folder, `tcp://` only to ports the shop allowed.
 * A target set in the environment (OPENTILL_PRINTER) was chosen by whoever installed the till and
 * is not checked.
 */
export type PrinterPolicy = {
  /** `<data folder>/receipts`: the only folder a `file:` printer may write into. */
  receiptsDir: string;
  allowedPorts: ReadonlySet<number>;
};

/** Port 9100 is the raw-printing port of almost every network receipt printer; 9101–9103 the next. */
export const DEFAULT_PRINTER_PORTS = '9100-9103';

/** Reads `9100-9103,515` (OPENTILL_PRINTER_PORTS). A bad list is refused at start, not ignored. */
export function parsePortList(raw: string): Set<number> {
  const ports = new Set<number>();
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = Number(m?.[1]);
    const to = Number(m?.[2] ?? m?.[1]);
    if (!m || from < 1 || to > 65535 || from > to)
      throw new TillError(
        'VALIDATION',
        `OPENTILL_PRINTER_PORTS: "${part.slice(0, 20)}" is not a port or a range such as 9100-9103.`,
      );
    for (let port = from; port <= to; port++) ports.add(port);
  }
  return ports;
}

export function printerPolicy(dataDir: string, env: NodeJS.ProcessEnv): PrinterPolicy {
  return {
    receiptsDir: join(dataDir, 'receipts'),
    allowedPorts: parsePortList(env.OPENTILL_PRINTER_PORTS || DEFAULT_PRINTER_PORTS),
  };
}

const refused = (message: string) => new TillError('VALIDATION', message);

const inside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

const describePorts = (ports: ReadonlySet<number>): string => {
  const sorted = [...ports].sort((a, b) => a - b);
  return sorted.length > 6 ? `${sorted.slice(0, 6).join(', ')}…` : sorted.join(', ') || 'none';
};

/**
 * Throws, in plain words, when a printer target typed on the Settings screen is not allowed.
 * The words never depend on what is listening on the network or what exists on the disk beyond
 * the receipts folder, so the check itself reveals nothing.
 */
export function checkPrinterTarget(raw: string, policy: PrinterPolicy): void {
  const target = parsePrinterTarget(raw);
  if (target.kind === 'tcp' && !policy.allowedPorts.has(target.port))
    throw refused(
      `Port ${target.port} is not a printer port this till may use (allowed: ${describePorts(policy.allowedPorts)}). ` +
        'Whoever installs the till can allow more with OPENTILL_PRINTER_PORTS.',
    );
  if (target.kind !== 'file') return;
  const receipts = policy.receiptsDir;
  const path = isAbsolute(target.path) ? resolve(target.path) : resolve(receipts, target.path);
  const outside = refused(
    `A file printer must write inside the receipts folder (${receipts}), e.g. file:${join(receipts, 'receipts.bin')}.`,
  );
  if (!inside(receipts, path)) throw outside;
  // A link inside the folder could still lead to the key file: the real folder must be the
  // receipts folder, and the file itself, when it exists, a plain file.
  mkdirSync(receipts, { recursive: true, mode: 0o700 });
  let parent: string;
  try {
    parent = realpathSync(dirname(path));
  } catch {
    throw refused(`The folder for ${path} does not exist inside the receipts folder.`);
  }
  const realReceipts = realpathSync(receipts);
  if (parent !== realReceipts && !inside(realReceipts, parent)) throw outside;
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw outside;
  }
  if (!stat.isFile()) throw outside;
}

/** The target with a relative `file:` path made absolute under the receipts folder. */
export function normalisePrinterTarget(raw: string, policy: PrinterPolicy): string {
  const target = parsePrinterTarget(raw);
  if (target.kind !== 'file' || isAbsolute(target.path)) return raw.trim();
  return `file:${resolve(policy.receiptsDir, target.path)}`;
}
