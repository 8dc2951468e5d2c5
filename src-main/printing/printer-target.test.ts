import { describe, expect, it } from 'vitest';
import { osPrintCommand } from './os-print-command';
import { parsePrinterTarget } from './printer-target';
import { paperOutFromStatus } from './printer-transport';

describe('printer target setting', () => {
  it('reads every form of the setting', () => {
    expect(parsePrinterTarget('none')).toEqual({ kind: 'none' });
    expect(parsePrinterTarget('tcp://192.168.1.50:9100')).toEqual({
      kind: 'tcp',
      host: '192.168.1.50',
      port: 9100,
    });
    expect(parsePrinterTarget('tcp://kitchen-printer')).toEqual({
      kind: 'tcp',
      host: 'kitchen-printer',
      port: 9100,
    });
    expect(parsePrinterTarget('printer:EPSON TM-T20III')).toEqual({
      kind: 'os',
      name: 'EPSON TM-T20III',
    });
    expect(parsePrinterTarget('file:/tmp/r.bin')).toEqual({ kind: 'file', path: '/tmp/r.bin' });
  });

  it.each([
    'tcp://',
    'tcp://host:99999',
    'tcp://300.1.1.1:9100',
    'tcp://a b:9100',
    'tcp://host:abc',
    'lpt1',
    'printer:',
    'file:',
  ])('refuses %s with PRINTER_CONFIG', (raw) => {
    expect(() => parsePrinterTarget(raw)).toThrow(
      expect.objectContaining({ code: 'PRINTER_CONFIG' }) as Error,
    );
  });
});

describe('OS print command', () => {
  it('uses lp raw on macOS and Linux, the name as its own argument', () => {
    expect(
      osPrintCommand('darwin', 'Star TSP100; rm -rf /', '/tmp/x/receipt.bin', 'Receipt R-1'),
    ).toEqual({
      command: 'lp',
      args: ['-d', 'Star TSP100; rm -rf /', '-t', 'Receipt R-1', '-o', 'raw', '/tmp/x/receipt.bin'],
      env: {},
    });
    expect(osPrintCommand('linux', 'p', 'f', 't').command).toBe('lp');
  });

  it('uses PowerShell + winspool RAW on Windows, passing name and file in the environment only', () => {
    const cmd = osPrintCommand('win32', 'EPSON "TM"', 'C:\\t\\r.bin', 'Receipt');
    expect(cmd.command).toBe('powershell.exe');
    expect(cmd.args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-Command',
    ]);
    const script = cmd.args[5] ?? '';
    expect(script).toContain('pDataType = "RAW"');
    expect(script).toContain('$env:OPENTILL_PRINTER_NAME');
    expect(script).not.toContain('EPSON');
    expect(cmd.env).toEqual({
      OPENTILL_PRINTER_NAME: 'EPSON "TM"',
      OPENTILL_PRINT_FILE: 'C:\\t\\r.bin',
      OPENTILL_PRINT_TITLE: 'Receipt',
    });
  });
});

describe('paper status byte (DLE EOT 4)', () => {
  it('reads paper end, paper present and non-status bytes', () => {
    expect(paperOutFromStatus(0x12)).toBe(false);
    expect(paperOutFromStatus(0x1e)).toBe(false); // near end still prints
    expect(paperOutFromStatus(0x72)).toBe(true);
    expect(paperOutFromStatus(0x00)).toBeNull();
  });
});
