import { z } from 'zod';
import { channel, event } from './define';

/**
 * How this till takes new versions. `automatic`: check, download in the background, install in a
 * quiet moment. `pinned`: stay on `pinnedVersion`; newer versions are announced, never installed.
 * `off`: the till never asks the release feed.
 */
export const updateModes = ['automatic', 'pinned', 'off'] as const;
export type UpdateMode = (typeof updateModes)[number];

export type UpdatePhase =
  /** Browser mode or an unpackaged build: updates come with the installed app only. */
  | 'unsupported'
  | 'disabled'
  | 'idle'
  | 'checking'
  | 'up-to-date'
  | 'downloading'
  /** Downloaded; installs at the next quiet moment (start-up or right after a day close). */
  | 'ready'
  /** A newer version exists but the till is pinned to this one. */
  | 'held'
  | 'installing'
  | 'error';

export type UpdateStatus = {
  phase: UpdatePhase;
  mode: UpdateMode;
  currentVersion: string;
  pinnedVersion: string | null;
  /** The version found on the release feed (ready, downloading or held), if any. */
  availableVersion: string | null;
  /** 0–100 while downloading. */
  downloadPercent: number | null;
  /** Plain words for the status bar and Settings (why it waits, what failed). */
  message: string;
  checkedAt: string | null;
};

export const updatePreferenceSchema = z
  .object({
    mode: z.enum(updateModes),
    managerPin: z.string().max(8),
  })
  .strict();

export const updatesChannels = {
  'updates:status': channel<UpdateStatus>()(z.undefined()),
  /** Manager only: pin this version, turn updates off, or back to automatic. */
  'updates:set-mode': channel<UpdateStatus>()(updatePreferenceSchema),
  'updates:check': channel<UpdateStatus>()(z.undefined()),
  /**
   * The renderer says whether a basket (or a checkout) is open: the core cannot see a basket
   * before it is committed, and an update must never install under one.
   */
  'updates:basket': channel<{ basketOpen: boolean }>()(
    z.object({ basketOpen: z.boolean() }).strict(),
  ),
} as const;

export const updatesEvents = {
  'updates:changed': event<UpdateStatus>(),
} as const;
