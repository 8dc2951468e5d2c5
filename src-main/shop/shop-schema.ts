/**
 * The shop database's schema (PostgreSQL 15+), as numbered migrations applied by the admin
 * command `npm run shop -- migrate`, never by a till. A till only reads
 * `opentill.schema_version` and refuses to link when it is older or newer than it knows.
 *
 * Access is PostgreSQL's own: every till logs in as its own role, a member of `opentill_till`
 * (read the shop's rows, write the till's own rows) and of `opentill_manager` (write the shop's
 * catalogue, staff and settings). Till roles are NOINHERIT, so neither right is in force until
 * the till says `SET ROLE`: the replicator runs as `opentill_till`, and a catalogue edit made by
 * a signed-in manager runs as `opentill_manager` for that one transaction. Row-level security
 * ties both to the shop (and till) of the *login* role (`session_user`), so `SET ROLE` never
 * reaches another shop or another till's rows.
 *
 * Every table carries `shop_id` (and `till_id` where the row belongs to a till) so a chain can
 * partition by month and distribute by shop without a schema change (docs/SHOP-DATABASE.md).
 */
export type ShopMigration = { version: number; name: string; sql: string };

const tillOwned = [
  'orders',
  'order_lines',
  'tenders',
  'payment_attempts',
  'refunds',
  'day_closures',
  'audit_log',
  'replication_acks',
] as const;

const shopShared = ['products', 'staff', 'shop_settings'] as const;

const rls = (table: string, write: 'till' | 'manager') => `
ALTER TABLE opentill.${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE opentill.${table} FORCE ROW LEVEL SECURITY;
CREATE POLICY ${table}_read ON opentill.${table} FOR SELECT
  TO opentill_till, opentill_manager USING (shop_id = opentill.current_shop());
${
  write === 'till'
    ? `CREATE POLICY ${table}_insert ON opentill.${table} FOR INSERT TO opentill_till
  WITH CHECK (shop_id = opentill.current_shop() AND till_id = opentill.current_till());
CREATE POLICY ${table}_update ON opentill.${table} FOR UPDATE TO opentill_till
  USING (shop_id = opentill.current_shop() AND till_id = opentill.current_till())
  WITH CHECK (shop_id = opentill.current_shop() AND till_id = opentill.current_till());
GRANT SELECT, INSERT, UPDATE ON opentill.${table} TO opentill_till;
GRANT SELECT ON opentill.${table} TO opentill_manager;`
    : `CREATE POLICY ${table}_insert ON opentill.${table} FOR INSERT TO opentill_manager
  WITH CHECK (shop_id = opentill.current_shop());
CREATE POLICY ${table}_update ON opentill.${table} FOR UPDATE TO opentill_manager
  USING (shop_id = opentill.current_shop()) WITH CHECK (shop_id = opentill.current_shop());
GRANT SELECT ON opentill.${table} TO opentill_till;
GRANT SELECT, INSERT, UPDATE ON opentill.${table} TO opentill_manager;`
}`;

/** Till-owned tables added by shop migration 2: what a shop-wide end of day needs. */
const dayTables = [
  'till_days',
  'cash_movements',
  'returns',
  'return_lines',
  'return_payouts',
  'reversals',
  'tips',
] as const;

const migration2: ShopMigration = {
  version: 2,
  name: 'cash-returns-reversals-tips',
  sql: `
-- Who did it (staff ids only; names and PIN hashes come down with the shop's staff list, never up).
ALTER TABLE opentill.orders ADD COLUMN staff_id text;
ALTER TABLE opentill.tenders ADD COLUMN staff_id text;
-- A voucher's reference; a card taken on another terminal carries only its last four digits.
ALTER TABLE opentill.tenders ADD COLUMN reference text;
ALTER TABLE opentill.refunds ADD COLUMN staff_id text;
ALTER TABLE opentill.payment_attempts ADD COLUMN staff_id text;
ALTER TABLE opentill.payment_attempts ADD COLUMN approved_by text;

-- A till day: opened with a counted float, tied to its closure when the day is closed.
CREATE TABLE opentill.till_days (
  shop_id      uuid NOT NULL,
  till_id      text NOT NULL,
  id           text PRIMARY KEY,
  opened_at    timestamptz NOT NULL,
  opened_by    text,
  float_minor  bigint NOT NULL,
  currency     text NOT NULL,
  closure_id   text
);
CREATE INDEX till_days_till ON opentill.till_days (shop_id, till_id, opened_at);

-- The drawer: pay-ins, pay-outs, no-sales and cash refunds.
CREATE TABLE opentill.cash_movements (
  shop_id       uuid NOT NULL,
  till_id       text NOT NULL,
  id            text PRIMARY KEY,
  day_id        text,
  kind          text NOT NULL,
  amount_minor  bigint NOT NULL,
  currency      text NOT NULL,
  reason        text,
  note          text,
  order_id      text,
  staff_id      text,
  approved_by   text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX cash_movements_till ON opentill.cash_movements (shop_id, till_id, created_at);

-- Items taken back (returns and exchanges), their lines, and how the money went back.
CREATE TABLE opentill.returns (
  shop_id            uuid NOT NULL,
  till_id            text NOT NULL,
  id                 text PRIMARY KEY,
  order_id           text NOT NULL,
  kind               text NOT NULL,
  status             text NOT NULL,
  reason             text NOT NULL,
  currency           text NOT NULL,
  total_minor        bigint NOT NULL,
  vat_minor          bigint NOT NULL,
  exchange_order_id  text,
  staff_id           text,
  approved_by        text,
  created_at         timestamptz NOT NULL,
  completed_at       timestamptz
);
CREATE INDEX returns_order ON opentill.returns (order_id);
CREATE INDEX returns_shop_completed ON opentill.returns (shop_id, completed_at);

CREATE TABLE opentill.return_lines (
  shop_id       uuid NOT NULL,
  till_id       text NOT NULL,
  return_id     text NOT NULL,
  order_id      text NOT NULL,
  position      integer NOT NULL,
  name          text NOT NULL,
  quantity      integer NOT NULL,
  amount_minor  bigint NOT NULL,
  vat_rate_bp   integer NOT NULL,
  vat_minor     bigint NOT NULL,
  PRIMARY KEY (return_id, position)
);
CREATE INDEX return_lines_order ON opentill.return_lines (order_id, position);

CREATE TABLE opentill.return_payouts (
  shop_id           uuid NOT NULL,
  till_id           text NOT NULL,
  id                text PRIMARY KEY,
  return_id         text NOT NULL,
  method            text NOT NULL,
  amount_minor      bigint NOT NULL,
  refund_id         text,
  sale_attempt_id   text,
  cash_movement_id  text,
  created_at        timestamptz NOT NULL
);
CREATE INDEX return_payouts_return ON opentill.return_payouts (return_id);

-- Card sales reversed at Dojo the same day, apart from refunds.
CREATE TABLE opentill.reversals (
  shop_id            uuid NOT NULL,
  till_id            text NOT NULL,
  id                 text PRIMARY KEY,
  order_id           text NOT NULL,
  attempt_id         text NOT NULL,
  payment_intent_id  text NOT NULL,
  amount_minor       bigint NOT NULL,
  currency           text NOT NULL,
  status             text NOT NULL,
  reason             text,
  dojo_reversal_id   text,
  staff_id           text,
  approved_by        text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX reversals_order ON opentill.reversals (order_id);
CREATE INDEX reversals_shop_updated ON opentill.reversals (shop_id, updated_at);

-- Tips Dojo reported on a card sale, apart from the sale (one per card tender).
CREATE TABLE opentill.tips (
  shop_id       uuid NOT NULL,
  till_id       text NOT NULL,
  tender_id     text PRIMARY KEY,
  order_id      text NOT NULL,
  attempt_id    text,
  amount_minor  bigint NOT NULL,
  currency      text NOT NULL,
  terminal_id   text,
  staff_id      text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX tips_order ON opentill.tips (order_id);

${dayTables.map((t) => rls(t, 'till')).join('\n')}
`,
};

/** Shared rows added by shop migration 3: the rest of the till's catalogue. */
const catalogueTables = [
  'vat_rates',
  'modifier_groups',
  'modifiers',
  'product_variants',
  'product_modifier_groups',
] as const;

const migration3: ShopMigration = {
  version: 3,
  name: 'whole-catalogue',
  sql: `
-- A till moves its cursor past every version it has seen, so versions must become visible in
-- the order they are taken: two managers' edits of one shop at once could otherwise commit a
-- lower version after a till had already pulled a higher one, and that till would never see it.
-- Writers of a shop's shared rows take turns (a lock held until their transaction ends), and a
-- row takes its version only once its writer holds the turn.
CREATE OR REPLACE FUNCTION opentill.bump_shared_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('opentill.shared:' || NEW.shop_id::text, 0));
  NEW.version := nextval('opentill.shared_version');
  NEW.updated_at := now();
  PERFORM pg_notify('opentill_shared', NEW.shop_id::text);
  RETURN NEW;
END $f$;

-- Down: what a product row of the till has beyond the shop's (issue 13's catalogue).
ALTER TABLE opentill.products ADD COLUMN eat_in_vat_rate_bp integer
  CHECK (eat_in_vat_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE opentill.products ADD COLUMN sold_by text NOT NULL DEFAULT 'unit'
  CHECK (sold_by IN ('unit', 'weight'));
ALTER TABLE opentill.products ADD COLUMN plu text;
ALTER TABLE opentill.products ADD COLUMN sku text;

-- The shop's VAT rates: the list every till checks a product's rate against. A rate taken off
-- the list is switched off, never deleted (a till may still have products on it).
CREATE TABLE opentill.vat_rates (
  shop_id     uuid NOT NULL REFERENCES opentill.shops(id),
  rate_bp     integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  name        text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, rate_bp)
);

CREATE TABLE opentill.modifier_groups (
  shop_id      uuid NOT NULL REFERENCES opentill.shops(id),
  id           text NOT NULL,
  name         text NOT NULL,
  min_choices  integer NOT NULL,
  max_choices  integer NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  version      bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, id)
);

CREATE TABLE opentill.modifiers (
  shop_id      uuid NOT NULL REFERENCES opentill.shops(id),
  id           text NOT NULL,
  group_id     text NOT NULL,
  name         text NOT NULL,
  price_minor  bigint NOT NULL,
  vat_rate_bp  integer,
  position     integer NOT NULL DEFAULT 0,
  active       boolean NOT NULL DEFAULT true,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  version      bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, id)
);

CREATE TABLE opentill.product_variants (
  shop_id      uuid NOT NULL REFERENCES opentill.shops(id),
  id           text NOT NULL,
  product_id   text NOT NULL,
  name         text NOT NULL,
  price_minor  bigint NOT NULL,
  barcode      text,
  sku          text,
  position     integer NOT NULL DEFAULT 0,
  active       boolean NOT NULL DEFAULT true,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  version      bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, id)
);

-- Which groups a product offers; a link taken away is switched off (active = false).
CREATE TABLE opentill.product_modifier_groups (
  shop_id     uuid NOT NULL REFERENCES opentill.shops(id),
  product_id  text NOT NULL,
  group_id    text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, product_id, group_id)
);

${catalogueTables
  .map(
    (t) => `CREATE INDEX ${t}_version ON opentill.${t} (shop_id, version);
CREATE TRIGGER ${t}_version BEFORE INSERT OR UPDATE ON opentill.${t}
  FOR EACH ROW EXECUTE FUNCTION opentill.bump_shared_version();`,
  )
  .join('\n')}
${catalogueTables.map((t) => rls(t, 'manager')).join('\n')}

-- Up: what a shop report or a return at another till needs of a sale beyond its lines' totals.
-- New columns are nullable: rows a till sent before it knew them stay as they are.
ALTER TABLE opentill.orders ADD COLUMN eat_in boolean;
ALTER TABLE opentill.order_lines ADD COLUMN variant_id text;
ALTER TABLE opentill.order_lines ADD COLUMN variant_name text;
ALTER TABLE opentill.order_lines ADD COLUMN weight_grams integer;
ALTER TABLE opentill.order_lines ADD COLUMN price_per_kg_minor bigint;
-- What the customer paid beyond (or short of) the exact amount on a rounded cash tender.
ALTER TABLE opentill.tenders ADD COLUMN rounding_minor bigint;

-- The modifiers chosen on a line, each with its share of the line total and VAT (the line's
-- own total already includes them).
CREATE TABLE opentill.order_line_modifiers (
  shop_id      uuid NOT NULL,
  till_id      text NOT NULL,
  order_id     text NOT NULL,
  position     integer NOT NULL,
  seq          integer NOT NULL,
  modifier_id  text,
  group_name   text NOT NULL,
  name         text NOT NULL,
  price_minor  bigint NOT NULL,
  vat_rate_bp  integer NOT NULL,
  total_minor  bigint NOT NULL,
  vat_minor    bigint NOT NULL,
  PRIMARY KEY (order_id, position, seq)
);
${rls('order_line_modifiers', 'till')}
-- Replaced as a set with the order's lines while the order is open.
CREATE POLICY order_line_modifiers_delete ON opentill.order_line_modifiers FOR DELETE TO opentill_till
  USING (shop_id = opentill.current_shop() AND till_id = opentill.current_till());
GRANT DELETE ON opentill.order_line_modifiers TO opentill_till;
`,
};

/** Till-owned tables added by shop migration 4: the last of the records a till commits. */
const closeTables = ['dojo_checks', 'tender_matches', 'receipt_choices'] as const;

const migration4: ShopMigration = {
  version: 4,
  name: 'dojo-checks-matches-receipt-choices',
  sql: `
-- The close's check of the till's card takings against Dojo's own record of the day, one per
-- closure. \`result\` is the till's comparison with every card reduced to its last four digits
-- (the till strips the rest before sending); why a pending check failed stays on the till.
CREATE TABLE opentill.dojo_checks (
  shop_id       uuid NOT NULL,
  till_id       text NOT NULL,
  closure_id    text PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  window_end    timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'completed')),
  result        jsonb,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX dojo_checks_till ON opentill.dojo_checks (shop_id, till_id, window_end);

-- A card taken on another terminal while Dojo was down, waiting for (or linked to) Dojo's
-- capture: "to match" only ever becomes "matched". The card's last four digits are on its tender.
CREATE TABLE opentill.tender_matches (
  shop_id            uuid NOT NULL,
  till_id            text NOT NULL,
  tender_id          text PRIMARY KEY,
  status             text NOT NULL CHECK (status IN ('to_match', 'matched')),
  payment_intent_id  text,
  approved_by        text,
  checks             integer NOT NULL,
  last_checked_at    timestamptz,
  matched_at         timestamptz,
  created_at         timestamptz NOT NULL,
  CHECK ((status = 'matched') = (payment_intent_id IS NOT NULL))
);
CREATE INDEX tender_matches_open ON opentill.tender_matches (shop_id, status, created_at);

-- What the customer chose for the receipt. The (masked) e-mail address stays on the till.
CREATE TABLE opentill.receipt_choices (
  shop_id     uuid NOT NULL,
  till_id     text NOT NULL,
  order_id    text PRIMARY KEY,
  choice      text NOT NULL CHECK (choice IN ('print', 'email', 'none')),
  staff_id    text,
  decided_at  timestamptz NOT NULL
);

${closeTables.map((t) => rls(t, 'till')).join('\n')}
`,
};

export const shopMigrations: readonly ShopMigration[] = [
  {
    version: 1,
    name: 'shops-tills-replication',
    sql: `
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'opentill_till') THEN
    CREATE ROLE opentill_till NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'opentill_manager') THEN
    CREATE ROLE opentill_manager NOLOGIN;
  END IF;
END $$;

CREATE SCHEMA opentill;
GRANT USAGE ON SCHEMA opentill TO opentill_till, opentill_manager;

CREATE TABLE opentill.schema_version (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version   integer NOT NULL
);
GRANT SELECT ON opentill.schema_version TO PUBLIC;

CREATE TABLE opentill.shops (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  currency    text NOT NULL CHECK (currency IN ('GBP', 'EUR')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE opentill.tills (
  id          text PRIMARY KEY,
  shop_id     uuid NOT NULL REFERENCES opentill.shops(id),
  name        text NOT NULL,
  role_name   text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- The till and shop of the login role; NULL once the till is revoked, which closes every policy.
CREATE FUNCTION opentill.current_till() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
  $f$ SELECT id FROM opentill.tills WHERE role_name = session_user AND revoked_at IS NULL $f$;
CREATE FUNCTION opentill.current_shop() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
  $f$ SELECT shop_id FROM opentill.tills WHERE role_name = session_user AND revoked_at IS NULL $f$;
REVOKE ALL ON FUNCTION opentill.current_till(), opentill.current_shop() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION opentill.current_till(), opentill.current_shop() TO opentill_till, opentill_manager;

-- Tills see their shop's row and the other tills of their shop (names for reports).
ALTER TABLE opentill.shops ENABLE ROW LEVEL SECURITY;
CREATE POLICY shops_read ON opentill.shops FOR SELECT TO opentill_till, opentill_manager
  USING (id = opentill.current_shop());
GRANT SELECT ON opentill.shops TO opentill_till, opentill_manager;
ALTER TABLE opentill.tills ENABLE ROW LEVEL SECURITY;
CREATE POLICY tills_read ON opentill.tills FOR SELECT TO opentill_till, opentill_manager
  USING (shop_id = opentill.current_shop());
GRANT SELECT (id, shop_id, name, created_at, revoked_at) ON opentill.tills TO opentill_till, opentill_manager;

-- Down: what the shop shares with every till. version comes from one sequence so a till pulls
-- "everything after the cursor" across the three tables.
CREATE SEQUENCE opentill.shared_version;
GRANT USAGE ON SEQUENCE opentill.shared_version TO opentill_manager;

CREATE TABLE opentill.products (
  shop_id      uuid NOT NULL REFERENCES opentill.shops(id),
  id           text NOT NULL,
  name         text NOT NULL,
  category     text NOT NULL,
  price_minor  bigint NOT NULL CHECK (price_minor >= 0),
  vat_rate_bp  integer NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  barcode      text,
  shortcut     text,
  sort_order   integer NOT NULL DEFAULT 0,
  active       boolean NOT NULL DEFAULT true,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  version      bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX products_version ON opentill.products (shop_id, version);

-- Staff are the shop's: a PIN works on every till. Only a salted slow hash is stored here.
CREATE TABLE opentill.staff (
  shop_id     uuid NOT NULL REFERENCES opentill.shops(id),
  id          text NOT NULL,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager')),
  pin_hash    text NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, id)
);
CREATE INDEX staff_version ON opentill.staff (shop_id, version);

CREATE TABLE opentill.shop_settings (
  shop_id     uuid NOT NULL REFERENCES opentill.shops(id),
  key         text NOT NULL,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint NOT NULL DEFAULT nextval('opentill.shared_version'),
  PRIMARY KEY (shop_id, key)
);
CREATE INDEX shop_settings_version ON opentill.shop_settings (shop_id, version);

-- Every change to shared rows takes a new version and tells the shop's tills at once.
CREATE FUNCTION opentill.bump_shared_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
BEGIN
  NEW.version := nextval('opentill.shared_version');
  NEW.updated_at := now();
  PERFORM pg_notify('opentill_shared', NEW.shop_id::text);
  RETURN NEW;
END $f$;
CREATE TRIGGER products_version BEFORE INSERT OR UPDATE ON opentill.products
  FOR EACH ROW EXECUTE FUNCTION opentill.bump_shared_version();
CREATE TRIGGER staff_version BEFORE INSERT OR UPDATE ON opentill.staff
  FOR EACH ROW EXECUTE FUNCTION opentill.bump_shared_version();
CREATE TRIGGER shop_settings_version BEFORE INSERT OR UPDATE ON opentill.shop_settings
  FOR EACH ROW EXECUTE FUNCTION opentill.bump_shared_version();

-- Up: each till's own records, upserted by their ids. No card number beyond the last four.
CREATE TABLE opentill.orders (
  shop_id         uuid NOT NULL,
  till_id         text NOT NULL,
  id              text PRIMARY KEY,
  reference       text NOT NULL,
  status          text NOT NULL,
  currency        text NOT NULL,
  subtotal_minor  bigint NOT NULL,
  discount_minor  bigint NOT NULL,
  vat_minor       bigint NOT NULL,
  total_minor     bigint NOT NULL,
  paid_minor      bigint NOT NULL,
  change_minor    bigint NOT NULL,
  refunded_minor  bigint NOT NULL,
  note            text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  completed_at    timestamptz
);
CREATE INDEX orders_shop_reference ON opentill.orders (shop_id, reference);
CREATE INDEX orders_shop_completed ON opentill.orders (shop_id, completed_at);
CREATE INDEX orders_shop_till ON opentill.orders (shop_id, till_id, completed_at);

CREATE TABLE opentill.order_lines (
  shop_id           uuid NOT NULL,
  till_id           text NOT NULL,
  order_id          text NOT NULL,
  position          integer NOT NULL,
  product_id        text,
  name              text NOT NULL,
  quantity          integer NOT NULL,
  unit_price_minor  bigint NOT NULL,
  discount_minor    bigint NOT NULL,
  vat_rate_bp       integer NOT NULL,
  line_total_minor  bigint NOT NULL,
  vat_minor         bigint NOT NULL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE opentill.tenders (
  shop_id         uuid NOT NULL,
  till_id         text NOT NULL,
  id              text PRIMARY KEY,
  order_id        text NOT NULL,
  kind            text NOT NULL,
  amount_minor    bigint NOT NULL,
  tendered_minor  bigint,
  change_minor    bigint NOT NULL,
  attempt_id      text,
  terminal_id     text,
  card_type       text,
  card_last4      text CHECK (card_last4 IS NULL OR card_last4 ~ '^[0-9]{4}$'),
  auth_code       text,
  created_at      timestamptz NOT NULL
);
CREATE INDEX tenders_order ON opentill.tenders (order_id);
CREATE INDEX tenders_shop_created ON opentill.tenders (shop_id, created_at);

-- Outcomes of payment attempts (not every poll): the state, final or not, and the terminal.
CREATE TABLE opentill.payment_attempts (
  shop_id            uuid NOT NULL,
  till_id            text NOT NULL,
  id                 text PRIMARY KEY,
  order_id           text,
  kind               text NOT NULL,
  amount_minor       bigint NOT NULL,
  currency           text NOT NULL,
  terminal_id        text NOT NULL,
  terminal_tid       text,
  payment_intent_id  text,
  state              text NOT NULL,
  is_final           boolean NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX payment_attempts_order ON opentill.payment_attempts (order_id);

CREATE TABLE opentill.refunds (
  shop_id              uuid NOT NULL,
  till_id              text NOT NULL,
  id                   text PRIMARY KEY,
  order_id             text,
  original_attempt_id  text,
  kind                 text NOT NULL,
  amount_minor         bigint NOT NULL,
  currency             text NOT NULL,
  status               text NOT NULL,
  reason               text,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL
);
CREATE INDEX refunds_order ON opentill.refunds (order_id);

CREATE TABLE opentill.day_closures (
  shop_id        uuid NOT NULL,
  till_id        text NOT NULL,
  id             text PRIMARY KEY,
  period_start   timestamptz,
  period_end     timestamptz NOT NULL,
  orders_count   integer NOT NULL,
  sales_minor    bigint NOT NULL,
  refunds_minor  bigint NOT NULL,
  currency       text NOT NULL,
  summary        jsonb NOT NULL,
  closed_by      text NOT NULL,
  closed_at      timestamptz NOT NULL
);
CREATE INDEX day_closures_shop ON opentill.day_closures (shop_id, closed_at);

CREATE TABLE opentill.audit_log (
  shop_id  uuid NOT NULL,
  till_id  text NOT NULL,
  id       bigint NOT NULL,
  at       timestamptz NOT NULL,
  actor    text NOT NULL,
  action   text NOT NULL,
  subject  text,
  details  text,
  PRIMARY KEY (till_id, id)
);

-- The last change-log sequence each till's replicator saw committed here.
CREATE TABLE opentill.replication_acks (
  shop_id     uuid NOT NULL,
  till_id     text PRIMARY KEY,
  last_seq    bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

${tillOwned.map((t) => rls(t, 'till')).join('\n')}
${shopShared.map((t) => rls(t, 'manager')).join('\n')}
-- Lines of an order are replaced as a set when the order changes before it is paid.
CREATE POLICY order_lines_delete ON opentill.order_lines FOR DELETE TO opentill_till
  USING (shop_id = opentill.current_shop() AND till_id = opentill.current_till());
GRANT DELETE ON opentill.order_lines TO opentill_till;
-- A basket parked and taken back before payment leaves no order behind.
CREATE POLICY orders_delete ON opentill.orders FOR DELETE TO opentill_till
  USING (shop_id = opentill.current_shop() AND till_id = opentill.current_till()
         AND status NOT IN ('paid', 'voided'));
GRANT DELETE ON opentill.orders TO opentill_till;
`,
  },
  migration2,
  migration3,
  migration4,
];

export const latestShopSchema = shopMigrations.reduce((max, m) => Math.max(max, m.version), 0);
