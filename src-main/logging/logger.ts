import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(tag: string): Logger;
};

export type LogRecord = {
  at: string;
  level: LogLevel;
  tag: string;
  message: string;
  fields?: LogFields;
};
export type LogSink = (record: LogRecord) => void;

export { redact };

/**
 * Appends JSON lines to `path`, rotating at `maxBytes` to `path.1` … `path.<keep>` so a till that
 * runs for years never fills its disk with logs.
 */
export function fileSink(
  path: string,
  options: { maxBytes?: number; keep?: number } = {},
): LogSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let size = existsSync(path) ? statSync(path).size : 0;
  const rotate = () => {
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--)
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
    size = 0;
  };
  return (record) => {
    const line = JSON.stringify(record) + '\n';
    if (size > 0 && size + line.length > maxBytes) rotate();
    // Logs name orders and terminals: readable by this user only, like the rest of the data.
    appendFileSync(path, line, { mode: 0o600 });
    size += Buffer.byteLength(line);
  };
}

export function consoleSink(minLevel: LogLevel = 'info'): LogSink {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (r) => {
    if (order.indexOf(r.level) < order.indexOf(minLevel)) return;
    const fields = r.fields ? ' ' + JSON.stringify(r.fields) : '';
    process.stderr.write(`${r.at} ${r.level.toUpperCase()} [${r.tag}] ${r.message}${fields}\n`);
  };
}

/** In-memory sink for tests that assert what was (and was not) logged. */
export function memorySink(): LogSink & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = ((r: LogRecord) => void records.push(r)) as LogSink & { records: LogRecord[] };
  sink.records = records;
  return sink;
}

/** One logger with `[tag]`-style children; every record is redacted before any sink sees it. */
export function createLogger(sinks: LogSink[], tag = 'core'): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    const record: LogRecord = {
      at: new Date().toISOString(),
      level,
      tag,
      message: redact(message) as string,
    };
    if (fields) record.fields = redact(fields) as LogFields;
    for (const sink of sinks) {
      try {
        sink(record);
      } catch {
        // A failing log sink must never take down a payment.
      }
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (child) => createLogger(sinks, child),
  };
}

export const silentLogger: Logger = createLogger([]);
