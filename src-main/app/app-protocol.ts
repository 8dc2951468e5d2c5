import { extname, join, normalize, resolve, sep } from 'node:path';
import { APP_HOST } from './window-options';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Maps `app://opentill/<path>` to a file inside the renderer folder, or null (404). */
export function resolveAppFile(rendererDir: string, rawUrl: string): { file: string; contentType: string } | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const root = resolve(rendererDir);
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
  if (!file.startsWith(root + sep)) return null;
  return { file, contentType: contentTypes[extname(file)] ?? 'application/octet-stream' };
}
