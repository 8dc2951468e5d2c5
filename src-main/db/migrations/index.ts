import type { Migration } from '../migrate';
import { migration001 } from './001-initial';
import { migration002 } from './002-orders-basket';
import { migration003 } from './003-payment-attempts-live';
import { migration004 } from './004-day-closures';
import { migration005 } from './005-payment-attempts-terminal-tid';
import { migration006 } from './006-outbox-discarded';
import { migration007 } from './007-idempotency-keys';
import { migration008 } from './008-shop-change-log';
import { migration009 } from './009-order-search-indexes';
import { migration010 } from './010-staff-and-cash';
import { migration011 } from './011-returns';
import { migration012 } from './012-tips-and-tenders';
import { migration013 } from './013-catalogue-variants-modifiers';
import { migration014 } from './014-shop-change-log-day';
import { migration015 } from './015-day-report-indexes';
import { migration016 } from './016-tender-cash-rounding';
import { migration017 } from './017-order-reference-suffixes';
import { migration018 } from './018-day-running-totals';
import { migration019 } from './019-shop-change-log-close';
import { migration020 } from './020-reference-suffixes-in-the-pause';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
];
