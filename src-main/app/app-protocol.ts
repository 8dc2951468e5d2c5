import { contentTypeOf, rendererFile } from '../server/renderer-files';
import { APP_HOST } from './window-options';

/** Maps `app://opentill/<path>` to a file inside the renderer folder, or null (404). */
export function resolveAppFile(
  rendererDir: string,
  rawUrl: string,
): { file: string; contentType: string } | null {
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
  const file = rendererFile(rendererDir, pathname);
  return file ? { file, contentType: contentTypeOf(file) } : null;
}
