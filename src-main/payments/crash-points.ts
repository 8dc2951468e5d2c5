/**
 * Named points in the sale and refund flows where the crash test kills the core
 * (`OPENTILL_CRASH_AT=<step>`). Inert unless that variable names the step: production never sets it.
 */
export const crashSteps = [
  'sale:before-intent-create',
  'sale:after-intent-create',
  'sale:before-session-create',
  'sale:after-session-create',
  'sale:mid-poll',
  'sale:during-signature',
  'sale:after-capture',
  'refund:before-session-create',
  'refund:after-session-create',
  'refund:mid-poll',
  'refund:after-complete',
  'server-refund:before-post',
  'server-refund:after-post',
] as const;
export type CrashStep = (typeof crashSteps)[number];

export function crashPoint(step: CrashStep, env: NodeJS.ProcessEnv = process.env): void {
  if (env.OPENTILL_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
