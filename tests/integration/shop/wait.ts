/** Polls `check` until it holds or `timeoutMs` passes (then throws, naming what was awaited). */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!check()) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
