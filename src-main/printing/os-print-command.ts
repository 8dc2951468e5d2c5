/**
 * How raw ESC/POS bytes reach a printer installed in the operating system. The bytes are written
 * to a temporary file and handed to the spooler unchanged ("raw"), never through a driver that
 * would rasterise them as a document.
 *
 * - macOS and Linux: CUPS `lp -d <name> -o raw <file>`.
 * - Windows: there is no built-in command that prints raw bytes to a named queue, so we use
 *   PowerShell with the documented winspool API (OpenPrinter / StartDocPrinter with datatype RAW /
 *   WritePrinter). Name and file travel in environment variables, never spliced into the script.
 */
export type OsPrintCommand = { command: string; args: string[]; env: Record<string, string> };

const WINDOWS_RAW_PRINT = [
  'Add-Type -TypeDefinition @"',
  'using System; using System.Runtime.InteropServices;',
  'public static class OpenTillRawPrint {',
  '  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)] public class DOCINFO { public string pDocName; public string pOutputFile; public string pDataType; }',
  '  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] public static extern bool OpenPrinter(string n, out IntPtr h, IntPtr d);',
  '  [DllImport("winspool.drv", SetLastError = true)] public static extern bool ClosePrinter(IntPtr h);',
  '  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] public static extern bool StartDocPrinter(IntPtr h, int l, DOCINFO d);',
  '  [DllImport("winspool.drv", SetLastError = true)] public static extern bool EndDocPrinter(IntPtr h);',
  '  [DllImport("winspool.drv", SetLastError = true)] public static extern bool StartPagePrinter(IntPtr h);',
  '  [DllImport("winspool.drv", SetLastError = true)] public static extern bool EndPagePrinter(IntPtr h);',
  '  [DllImport("winspool.drv", SetLastError = true)] public static extern bool WritePrinter(IntPtr h, byte[] b, int c, out int w);',
  '  public static void Send(string printer, string title, byte[] bytes) {',
  '    IntPtr h; if (!OpenPrinter(printer, out h, IntPtr.Zero)) throw new Exception("Printer not found: " + printer);',
  '    try { var di = new DOCINFO { pDocName = title, pDataType = "RAW" };',
  '      if (!StartDocPrinter(h, 1, di)) throw new Exception("The spooler refused the job");',
  '      StartPagePrinter(h); int w; bool ok = WritePrinter(h, bytes, bytes.Length, out w); EndPagePrinter(h); EndDocPrinter(h);',
  '      if (!ok || w != bytes.Length) throw new Exception("The printer did not take the whole receipt"); }',
  '    finally { ClosePrinter(h); } } }',
  '"@',
  '[OpenTillRawPrint]::Send($env:OPENTILL_PRINTER_NAME, $env:OPENTILL_PRINT_TITLE, [System.IO.File]::ReadAllBytes($env:OPENTILL_PRINT_FILE))',
].join('\n');

export function osPrintCommand(
  platform: NodeJS.Platform,
  printerName: string,
  file: string,
  title: string,
): OsPrintCommand {
  if (platform === 'win32') {
    return {
      command: 'powershell.exe',
      args: [
        '-NoProfile',
        '-NonInteractive',
        '-ExecutionPolicy',
        'Bypass',
        '-Command',
        WINDOWS_RAW_PRINT,
      ],
      env: {
        OPENTILL_PRINTER_NAME: printerName,
        OPENTILL_PRINT_FILE: file,
        OPENTILL_PRINT_TITLE: title,
      },
    };
  }
  // `--` would be ideal but `lp` does not accept it; `-d` takes the name as its own argument and
  // spawn passes argv without a shell, so a name cannot inject options or commands.
  return { command: 'lp', args: ['-d', printerName, '-t', title, '-o', 'raw', file], env: {} };
}
