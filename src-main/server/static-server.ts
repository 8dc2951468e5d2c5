import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf, rendererCsp, rendererFile } from './renderer-files';

/** The browser-mode CSP: only our own files, and the IPC socket on the same loopback port. */
export const browserModeCsp = (port: number): string =>
  rendererCsp(`ws://127.0.0.1:${port} ws://localhost:${port}`);

/** Serves the built renderer. GET/HEAD only, no directory listing, no path escape. */
export function createStaticHandler(rootDir: string, port: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const securityHeaders = {
      'Content-Security-Policy': browserModeCsp(port()),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
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
