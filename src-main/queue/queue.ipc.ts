import type { Handlers, QueueItemView } from '../../src-shared/contract';
import type { queueChannels } from '../../src-shared/contract/queue.contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { requireManagerPin } from '../staff/manager-pin';
import { audit } from '../platform/audit';
import type { Outbox } from './outbox';
import { getOutboxItem, type OutboxItem } from './outbox.repo';

export type QueueChannel = keyof typeof queueChannels;

/** Says in plain words what an item is; the feature that owns the kind knows. */
export type DescribeItem = (item: OutboxItem) => string;

export function toView(item: OutboxItem, describe: DescribeItem): QueueItemView {
  const status = item.status === 'done' ? 'discarded' : item.status;
  return {
    id: item.id,
    what: describe(item),
    status,
    attempts: item.attempts,
    nextAttemptAt: item.status === 'pending' ? item.nextAttemptAt : null,
    lastError: item.lastError,
    createdAt: item.createdAt,
    discardedReason: item.discardedReason,
    discardedBy: item.discardedBy,
    discardedAt: item.status === 'discarded' ? item.doneAt : null,
  };
}

/** The queue screen: see waiting and dead work, retry a dead item, or discard it (manager). */
export function createQueueHandlers(deps: {
  db: Db;
  outbox: Outbox;
  /** Default: what the feature owning the item's kind says of it (`outbox.describe`). */
  describe?: DescribeItem;
}): Pick<Handlers, QueueChannel> {
  const { db, outbox } = deps;
  const describe: DescribeItem = deps.describe ?? ((item) => outbox.describe(item));
  const view = (id: number) => {
    const item = getOutboxItem(db, id);
    if (!item) throw new TillError('NOT_FOUND', 'That queued item does not exist.');
    return toView(item, describe);
  };
  const mustBeDead = (id: number) => {
    const item = getOutboxItem(db, id);
    if (!item) throw new TillError('NOT_FOUND', 'That queued item does not exist.');
    if (item.status !== 'dead')
      throw new TillError(
        'CONFLICT',
        item.status === 'pending'
          ? 'That item is still being tried; only one that stopped can be retried or discarded.'
          : 'That item is already finished.',
      );
    return item;
  };
  return {
    'queue:list': () => outbox.queued().map((item) => toView(item, describe)),
    'queue:retry': ({ id }) => {
      mustBeDead(id);
      db.transaction(() => {
        if (!outbox.revive(id)) throw new TillError('CONFLICT', 'That item is already finished.');
        audit(db, 'operator', 'queue.retry', String(id));
      })();
      return view(id);
    },
    'queue:discard': ({ id, reason, managerPin }) => {
      const item = mustBeDead(id);
      requireManagerPin(db, managerPin);
      db.transaction(() => {
        if (!outbox.discard(id, reason, 'manager'))
          throw new TillError('CONFLICT', 'That item is already finished.');
        audit(db, 'manager', 'queue.discard', String(id), {
          kind: item.kind,
          what: describe(item),
          reason,
        });
      })();
      return view(id);
    },
  };
}
