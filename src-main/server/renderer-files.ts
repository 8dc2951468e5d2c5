import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const contentTypeOf = (file: string): string =>
  contentTypes[extname(file)] ?? 'application/octet-stream';

/**
 * Maps a URL path (already decoded) to a file inside the built renderer, or null when it would
 * escape it. Used by both the desktop `app://` protocol and browser mode's static server.
 */
export function rendererFile(rendererDir: string, pathname: string): string | null {
  const root = resolve(rendererDir);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  return file.startsWith(root + sep) ? file : null;
}

/** The renderer's CSP; only `connect-src` differs between desktop ('none') and browser mode. */
export function rendererCsp(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
  ].join('; ');
}
