export {
  parsePrinterTarget,
  printerTargetProblem,
  type PrinterTarget,
} from '../../src-shared/domain/printer-target';
import type { PrinterTarget } from '../../src-shared/domain/printer-target';

export function describeTarget(t: PrinterTarget): string {
  switch (t.kind) {
    case 'none':
      return 'no printer';
    case 'tcp':
      return `${t.host}:${t.port}`;
    case 'os':
      return `printer "${t.name}"`;
    case 'file':
      return `file ${t.path}`;
  }
}
