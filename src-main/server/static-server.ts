import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf, rendererCsp, rendererFile } from './renderer-files';

/** The browser-mode CSP: only our own files, and the IPC socket on the same loopback port. */
export const browserModeCsp = (port: number): string =>
  rendererCsp(`ws://127.0.0.1:${port} ws://localhost:${port}`);

/** The till needs none of these powerful features: a page that asks for one is refused by the browser. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'bluetooth=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'publickey-credentials-get=()',
  'serial=()',
  'usb=()',
].join(', ');

/**
 * Serves the built renderer. GET/HEAD only, no directory listing, no path escape. `allowedHosts`
 * is the same list the WebSocket upgrade checks (`127.0.0.1:<port>`, `localhost:<port>`): another
 * name pointing at loopback (DNS rebinding) gets nothing, not even the page.
 */
export function createStaticHandler(
  rootDir: string,
  port: () => number,
  allowedHosts: () => string[],
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const securityHeaders = {
      'Content-Security-Policy': browserModeCsp(port()),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': PERMISSIONS_POLICY,
      'Cache-Control': 'no-store',
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res
        .writeHead(403, { ...securityHeaders, 'Content-Type': 'text/plain' })
        .end('Unknown host: open the till at the address it printed when it started.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, securityHeaders).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, securityHeaders).end();
      return;
    }
    const file = rendererFile(rootDir, pathname);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...securityHeaders, 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { ...securityHeaders, 'Content-Type': contentTypeOf(file) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
