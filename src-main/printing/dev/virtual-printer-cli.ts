import { parseArgs } from 'node:util';
import { startVirtualPrinter } from './virtual-printer';

/** `npm run printer:virtual -- --port 9100 [--columns 32|48] [--png DIR] [--hex]` */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    columns: { type: 'string', default: '48' },
    png: { type: 'string' },
    hex: { type: 'boolean', default: false },
  },
});

const columns = Number(values.columns);
if (columns !== 32 && columns !== 48) {
  console.error('--columns must be 32 (58 mm paper) or 48 (80 mm paper)');
  process.exit(2);
}

const printer = await startVirtualPrinter({
  port: Number(values.port),
  host: values.host,
  columns,
  pngDir: values.png ?? null,
  onJob: (job) => {
    const rule = '~'.repeat(columns);
    console.log(
      `\n${rule}\njob ${job.n} at ${job.at}: ${job.bytes.length} bytes, ${job.decoded.dialect}${job.pngFile ? `, ${job.pngFile}` : ''}\n${rule}`,
    );
    console.log(job.decoded.text);
    if (job.decoded.unknown.length)
      console.log(`(undecoded: ${job.decoded.unknown.slice(0, 10).join(', ')})`);
    if (values.hex) console.log(job.bytes.toString('hex'));
  },
});
console.log(
  `Virtual receipt printer listening on ${printer.url} (${columns} columns). Set the till printer to ${printer.url}. Ctrl+C to stop.`,
);

const stop = () => void printer.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
