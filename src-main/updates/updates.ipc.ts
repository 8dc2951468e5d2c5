import type { Handlers } from '../../src-shared/contract';
import type { updatesChannels } from '../../src-shared/contract/updates.contract';
import type { UpdateService } from './update-service';

type UpdatesChannel = keyof typeof updatesChannels;

export function createUpdatesHandlers(updates: UpdateService): Pick<Handlers, UpdatesChannel> {
  return {
    'updates:status': () => updates.status(),
    'updates:set-mode': ({ mode, managerPin }) => updates.setMode(mode, managerPin),
    'updates:check': () => updates.check(),
    'updates:basket': ({ basketOpen }) => {
      updates.setBasketOpen(basketOpen);
      return { basketOpen };
    },
  };
}
