import type { Handlers } from '../../src-shared/contract';
import type { appChannels } from '../../src-shared/contract/app.contract';
import type { AppInfo, TillStatus } from '../../src-shared/contract';
import type { Db } from '../db/connection';
import { audit } from '../platform/audit';

export type AppHandlerDeps = {
  db: Db;
  info: () => AppInfo;
  status: () => TillStatus;
};

export function createAppHandlers(deps: AppHandlerDeps): Pick<Handlers, keyof typeof appChannels> {
  return {
    'app:info': () => deps.info(),
    'app:ping': ({ echo }) => {
      audit(deps.db, 'operator', 'app.ping', null, { echo });
      const row = deps.db
        .prepare<[], { pings: number; at: string }>(
          "SELECT count(*) AS pings, max(at) AS at FROM audit_log WHERE action = 'app.ping'",
        )
        .get();
      return { echo, storedAt: row?.at ?? '', pings: row?.pings ?? 0 };
    },
    'status:get': () => deps.status(),
  };
}
