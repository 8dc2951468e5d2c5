import { z } from 'zod';

/**
 * HTTP faults for the next `count` requests matching `method` + `path`. `path` is a Dojo path
 * where `*` or `{name}` matches one segment, e.g. `/terminal-sessions/*`.
 * - `http-error`: answer `status` in Dojo's error shape (with `Retry-After` when given).
 * - `slow`: answer `delayMs` late (not scaled by timeScale), to run past a client timeout.
 * - `reset`: destroy the connection without an answer.
 * With `applyRequest`, the request takes effect before the fault hits (a create that happened
 * although the client never saw the answer); `slow` always takes effect.
 */
export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http-error'),
    path: z.string().min(1),
    method: z.string().optional(),
    count: z.number().int().min(1).optional(),
    status: z.number().int().min(400).max(599),
    retryAfterSeconds: z.number().int().min(0).optional(),
    applyRequest: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('slow'),
    path: z.string().min(1),
    method: z.string().optional(),
    count: z.number().int().min(1).optional(),
    delayMs: z.number().int().min(0),
  }),
  z.object({
    kind: z.literal('reset'),
    path: z.string().min(1),
    method: z.string().optional(),
    count: z.number().int().min(1).optional(),
    applyRequest: z.boolean().optional(),
  }),
]);

export type FaultSpec = z.infer<typeof faultSpecSchema>;

type ArmedFault = { spec: FaultSpec; remaining: number };

function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return false;
  return want.every((w, i) => w === '*' || (w.startsWith('{') && w.endsWith('}')) || w === got[i]);
}

export class FaultBook {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that hits this request, if any; consumes one of its uses. */
  take(method: string, path: string): FaultSpec | null {
    const hit = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.spec.method || f.spec.method.toUpperCase() === method) &&
        pathMatches(f.spec.path, path),
    );
    if (!hit) return null;
    hit.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hit.spec;
  }
}
