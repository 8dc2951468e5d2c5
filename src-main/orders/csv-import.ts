import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import { parseMajorUnits, type CurrencyCode } from '../../src-shared/money';
import { printableTextProblem } from '../../src-shared/domain/printable-text';
import {
  barcodeProblem,
  MAX_CSV_BYTES,
  vatRateLabel,
  type CsvImportResult,
  type CsvRowError,
  type ModifierGroup,
  type Product,
  type SoldBy,
  type VatRate,
} from '../../src-shared/domain/catalogue';
import {
  findModifierGroupByName,
  findProductByBarcode,
  findProductByNameCategory,
  findProductsByShortcut,
  listModifierGroups,
  listProducts,
  listVatRates,
  upsertModifierGroup,
  upsertProduct,
} from './catalogue.repo';
import { audit } from '../platform/audit';

export type CsvRecord = { row: number; fields: string[] };

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a leading BOM. `row` is the line a record starts on. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === ''))
      records.push({ row: startLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

type ProductDraft = {
  kind: 'product';
  row: number;
  name: string;
  category: string;
  priceMinor: number;
  vatRateBp: number;
  eatInVatRateBp: number | null;
  soldBy: SoldBy;
  plu: string | null;
  sku: string | null;
  barcode: string | null;
  shortcut: string | null;
  /** Modifier group names; null when the file has no groups column (leave them as they are). */
  groups: string[] | null;
  variants: {
    row: number;
    name: string;
    priceMinor: number;
    barcode: string | null;
    sku: string | null;
  }[];
};
type GroupDraft = {
  row: number;
  name: string;
  min: number;
  max: number;
  modifiers: { row: number; name: string; priceMinor: number; vatRateBp: number | null }[];
};

const REQUIRED = ['name', 'price'] as const;
const OPTIONAL = [
  'kind',
  'category',
  'vat',
  'eat_in_vat',
  'sold_by',
  'plu',
  'sku',
  'barcode',
  'shortcut',
  'parent',
  'min',
  'max',
  'groups',
] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/** The columns of an export, in order (an import accepts any order and the old six-column files). */
export const CSV_COLUMNS: readonly Column[] = [
  'kind',
  'name',
  'category',
  'price',
  'vat',
  'eat_in_vat',
  'sold_by',
  'plu',
  'sku',
  'barcode',
  'shortcut',
  'parent',
  'min',
  'max',
  'groups',
];

function readHeader(record: CsvRecord | undefined): Map<Column, number> {
  if (!record)
    throw new TillError(
      'VALIDATION',
      'The file is empty: it needs a header row (name, category, price, vat, barcode, shortcut).',
    );
  const index = new Map<Column, number>();
  record.fields.forEach((h, i) => {
    const key = h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (
      (REQUIRED as readonly string[]).includes(key) ||
      (OPTIONAL as readonly string[]).includes(key)
    )
      index.set(key as Column, i);
  });
  const missing = [...REQUIRED, 'category', 'vat'].filter((c) => !index.has(c as Column));
  if (missing.length > 0) {
    throw new TillError(
      'VALIDATION',
      `The header row is missing: ${missing.join(', ')}. Expected name, category, price, vat, barcode, shortcut.`,
    );
  }
  return index;
}

/** A VAT rate by its name ("Standard") or its percentage ("20", "20 %", "13.5"). */
function parseVat(text: string, rates: readonly VatRate[]): number | string {
  const v = text.trim();
  const byName = rates.find((r) => r.name.toLowerCase() === v.toLowerCase());
  if (byName) return byName.rateBp;
  const pct = v.replace(/\s*%$/, '');
  if (/^\d{1,3}(\.\d{1,2})?$/.test(pct)) {
    const bp = Math.round(Number(pct) * 100);
    if (rates.some((r) => r.rateBp === bp)) return bp;
  }
  return `vat "${text}" is not one of this shop's VAT rates (${rates
    .map((r) => vatRateLabel(r.rateBp, rates))
    .join(', ')})`;
}

type Getter = (c: Column) => string;

function productRow(
  record: CsvRecord,
  get: Getter,
  hasGroups: boolean,
  rates: readonly VatRate[],
  currency: CurrencyCode,
): ProductDraft | string {
  const name = get('name');
  const category = get('category');
  if (!name) return 'name is empty';
  const unprintable =
    printableTextProblem(name, 'name') ??
    printableTextProblem(category, 'category') ??
    printableTextProblem(get('shortcut'), 'shortcut') ??
    printableTextProblem(get('sku'), 'sku');
  if (unprintable) return unprintable;
  if (name.length > 80) return 'name is longer than 80 characters';
  if (!category) return 'category is empty';
  if (category.length > 40) return 'category is longer than 40 characters';
  const price = parseMajorUnits(get('price'), currency);
  if (!price.ok) return `price "${get('price')}": ${price.message}`;
  const vat = parseVat(get('vat'), rates);
  if (typeof vat === 'string') return vat;
  let eatIn: number | null = null;
  if (get('eat_in_vat')) {
    const e = parseVat(get('eat_in_vat'), rates);
    if (typeof e === 'string') return `eat-in ${e}`;
    eatIn = e;
  }
  const soldBy = (get('sold_by') || 'unit').toLowerCase();
  if (soldBy !== 'unit' && soldBy !== 'weight')
    return `sold_by "${get('sold_by')}" must be unit or weight`;
  const plu = get('plu') || null;
  if (plu && !/^\d{5}$/.test(plu)) return `plu "${plu}" must be 5 digits (the scale's item code)`;
  if (soldBy === 'weight' && !plu)
    return `${name} is sold by weight: give it the scale's 5-digit item code (plu)`;
  const barcode = get('barcode') || null;
  if (barcode) {
    const problem = barcodeProblem(barcode);
    if (problem) return problem;
  }
  const shortcut = get('shortcut') || null;
  if (shortcut && shortcut.length > 10) return 'shortcut is longer than 10 characters';
  const sku = get('sku') || null;
  if (sku && sku.length > 40) return 'sku is longer than 40 characters';
  return {
    kind: 'product',
    row: record.row,
    name,
    category,
    priceMinor: price.minor,
    vatRateBp: vat,
    eatInVatRateBp: eatIn,
    soldBy,
    plu,
    sku,
    barcode,
    shortcut,
    groups: hasGroups
      ? get('groups')
          .split('|')
          .map((g) => g.trim())
          .filter(Boolean)
      : null,
    variants: [],
  };
}

const whole = (text: string): number | null => (/^\d{1,2}$/.test(text) ? Number(text) : null);

type Existing = Product | null;

/**
 * Imports a catalogue CSV (docs/CATALOGUE.md). Rows are products (the default), their variants,
 * modifier groups and their modifiers, told apart by the `kind` column. Every bad row is reported
 * with its row number and reason and writes nothing; the good rows are written in one
 * transaction. A product row updates the product with the same name in the same category (or the
 * same barcode), else creates one; a barcode already on another product is refused (never a
 * silent rename).
 */
export function importCatalogueCsv(
  db: Db,
  csv: string,
  currency: CurrencyCode = 'GBP',
): CsvImportResult {
  if (csv.length > MAX_CSV_BYTES)
    throw new TillError('VALIDATION', 'A catalogue file can be at most 1 MB.');
  const [header, ...records] = parseCsv(csv);
  const cols = readHeader(header);
  const rates = listVatRates(db);
  const errors: CsvRowError[] = [];
  const products: ProductDraft[] = [];
  const groups: GroupDraft[] = [];
  const seenBarcodes = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const seenShortcuts = new Map<string, number>();
  const takeBarcode = (barcode: string | null, row: number): string | null => {
    if (!barcode) return null;
    const dup = seenBarcodes.get(barcode);
    if (dup !== undefined) return `barcode ${barcode} is already on row ${dup}`;
    seenBarcodes.set(barcode, row);
    return null;
  };
  for (const record of records) {
    const get: Getter = (c) => {
      const i = cols.get(c);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    const kind = (get('kind') || 'product').toLowerCase();
    const fail = (reason: string) => errors.push({ row: record.row, reason });
    if (kind === 'group') {
      const name = get('name');
      const min = whole(get('min') || '0');
      const max = whole(get('max') || '1');
      if (!name) fail('group name is empty');
      else if (name.length > 40) fail('group name is longer than 40 characters');
      else if (min === null) fail(`min "${get('min')}" must be a whole number`);
      else if (max === null || max < 1)
        fail(`max "${get('max')}" must be a whole number, at least 1`);
      else if (min > max)
        fail(`${name}: the minimum number of choices (${min}) is more than the maximum (${max})`);
      else if (groups.some((g) => g.name.toLowerCase() === name.toLowerCase()))
        fail(`group ${name} is already in this file`);
      else groups.push({ row: record.row, name, min, max, modifiers: [] });
      continue;
    }
    if (kind === 'modifier') {
      const parent = get('parent');
      const group = groups.find((g) => g.name.toLowerCase() === parent.toLowerCase());
      const name = get('name');
      const price = parseMajorUnits(get('price') || '0', currency);
      if (!group) fail(`modifier ${name}: its group "${parent}" is not on a group row above it`);
      else if (!name || name.length > 40) fail('modifier name must be 1 to 40 characters');
      else if (!price.ok) fail(`price "${get('price')}": ${price.message}`);
      else {
        let vat: number | null = null;
        if (get('vat')) {
          const v = parseVat(get('vat'), rates);
          if (typeof v === 'string') {
            fail(v);
            continue;
          }
          vat = v;
        }
        group.modifiers.push({ row: record.row, name, priceMinor: price.minor, vatRateBp: vat });
      }
      continue;
    }
    if (kind === 'variant') {
      const parent = get('parent');
      const category = get('category');
      const product = products.find(
        (p) =>
          p.name.toLowerCase() === parent.toLowerCase() &&
          (!category || p.category.toLowerCase() === category.toLowerCase()),
      );
      const name = get('name');
      const price = parseMajorUnits(get('price'), currency);
      const barcode = get('barcode') || null;
      if (!product)
        fail(`variant ${name}: its product "${parent}" is not on a product row above it`);
      else if (!name || name.length > 40) fail('variant name must be 1 to 40 characters');
      else if (!price.ok) fail(`price "${get('price')}": ${price.message}`);
      else if (barcode && barcodeProblem(barcode)) fail(barcodeProblem(barcode) as string);
      else {
        const dup = takeBarcode(barcode, record.row);
        if (dup) fail(dup);
        else
          product.variants.push({
            row: record.row,
            name,
            priceMinor: price.minor,
            barcode,
            sku: get('sku') || null,
          });
      }
      continue;
    }
    if (kind !== 'product') {
      fail(`kind "${get('kind')}" must be product, variant, group or modifier`);
      continue;
    }
    const draft = productRow(record, get, cols.has('groups'), rates, currency);
    if (typeof draft === 'string') {
      fail(draft);
      continue;
    }
    const nameKey = `${draft.name.toLowerCase()}\u0000${draft.category.toLowerCase()}`;
    const dupName = seenNames.get(nameKey);
    if (draft.barcode && seenBarcodes.has(draft.barcode)) {
      fail(`barcode ${draft.barcode} is already on row ${seenBarcodes.get(draft.barcode)}`);
      continue;
    }
    if (dupName !== undefined) {
      fail(`${draft.name} in ${draft.category} is already on row ${dupName}`);
      continue;
    }
    const dupShortcut = draft.shortcut
      ? seenShortcuts.get(draft.shortcut.toLowerCase())
      : undefined;
    if (dupShortcut !== undefined) {
      fail(`shortcut ${draft.shortcut} is already on row ${dupShortcut}`);
      continue;
    }
    if (draft.shortcut) seenShortcuts.set(draft.shortcut.toLowerCase(), record.row);
    takeBarcode(draft.barcode, record.row);
    seenNames.set(nameKey, record.row);
    products.push(draft);
  }

  let created = 0;
  let updated = 0;
  /** One item (a group, or a product with its variants) in a savepoint: refused = nothing of it written. */
  const attempt = (row: number, write: () => void) => {
    try {
      db.transaction(write)();
    } catch (error) {
      if (error instanceof TillError) errors.push({ row, reason: error.message });
      else throw error;
    }
  };
  db.transaction(() => {
    const now = nowIso();
    for (const g of groups) {
      attempt(g.row, () => {
        const existing = findModifierGroupByName(db, g.name);
        if (g.modifiers.length === 0)
          throw new TillError('VALIDATION', `group ${g.name} has no modifier rows under it`);
        upsertModifierGroup(db, {
          ...(existing ? { id: existing.id } : {}),
          name: g.name,
          minChoices: g.min,
          maxChoices: g.max,
          modifiers: g.modifiers.map((m) => {
            const old = existing?.modifiers.find(
              (o) => o.name.toLowerCase() === m.name.toLowerCase(),
            );
            return {
              ...(old ? { id: old.id } : {}),
              name: m.name,
              priceMinor: m.priceMinor,
              vatRateBp: m.vatRateBp,
            };
          }),
        });
      });
    }
    for (const d of products) {
      const byBarcode: Existing = d.barcode ? findProductByBarcode(db, d.barcode) : null;
      const byName: Existing = findProductByNameCategory(db, d.name, d.category);
      // A barcode names one product: a row may update that product's price, VAT and shortcut,
      // never turn it into another product (a typo in a spreadsheet would rename stock silently).
      if (byBarcode && byName?.id !== byBarcode.id) {
        errors.push({
          row: d.row,
          reason: `barcode ${d.barcode} belongs to ${byBarcode.name} (${byBarcode.category}), but ${d.name} in ${d.category} is another product: fix the barcode, or rename the product in Settings first`,
        });
        continue;
      }
      const target = byBarcode ?? byName;
      const keyOwner = d.shortcut
        ? findProductsByShortcut(db, d.shortcut).find((p) => p.id !== target?.id)
        : undefined;
      if (keyOwner) {
        errors.push({
          row: d.row,
          reason: `shortcut ${d.shortcut} is already used by ${keyOwner.name} (${keyOwner.category})`,
        });
        continue;
      }
      let groupIds: string[] | undefined;
      if (d.groups) {
        const missing = d.groups.filter((n) => !findModifierGroupByName(db, n));
        if (missing.length > 0) {
          errors.push({
            row: d.row,
            reason: `modifier group ${missing.join(', ')} is not in the catalogue or this file`,
          });
          continue;
        }
        groupIds = d.groups.map((n) => (findModifierGroupByName(db, n) as ModifierGroup).id);
      }
      const row = d.variants.length > 0 ? d.row : d.row;
      attempt(row, () => {
        upsertProduct(db, {
          ...(target ? { id: target.id } : { sortOrder: d.row * 10 }),
          name: d.name,
          category: d.category,
          priceMinor: d.priceMinor,
          vatRateBp: d.vatRateBp,
          eatInVatRateBp: d.eatInVatRateBp,
          soldBy: d.soldBy,
          sku: d.sku,
          ...(d.plu ? { plu: d.plu } : {}),
          ...(d.barcode ? { barcode: d.barcode } : {}),
          ...(d.shortcut ? { shortcut: d.shortcut } : {}),
          active: true,
          ...(groupIds ? { modifierGroupIds: groupIds } : {}),
          ...(d.variants.length > 0
            ? {
                variants: d.variants.map((v) => {
                  const old = target?.variants.find(
                    (o) => o.name.toLowerCase() === v.name.toLowerCase(),
                  );
                  return {
                    ...(old ? { id: old.id } : {}),
                    name: v.name,
                    priceMinor: v.priceMinor,
                    barcode: v.barcode,
                    sku: v.sku,
                  };
                }),
              }
            : {}),
        });
        if (target) updated++;
        else created++;
      });
    }
    audit(db, 'till', 'catalogue.import', null, { created, updated, refused: errors.length }, now);
  })();
  errors.sort((a, b) => a.row - b.row);
  return { imported: created + updated, created, updated, errors };
}

/** A field as CSV writes it: quoted when it holds a comma, a quote or a line break. */
const field = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const major = (minor: number): string =>
  `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/**
 * The whole active catalogue in the import's format: groups and their modifiers first, then each
 * product followed by its variants. VAT rates are written by name, so the file reads back the
 * same on a till with the same rates.
 */
export function exportCatalogueCsv(db: Db): string {
  const rates = listVatRates(db);
  const vatName = (bp: number | null): string =>
    bp === null ? '' : (rates.find((r) => r.rateBp === bp)?.name ?? `${bp / 100}`);
  const rows: string[][] = [CSV_COLUMNS.map(String)];
  const row = (values: Partial<Record<Column, string>>) =>
    rows.push(CSV_COLUMNS.map((c) => values[c] ?? ''));
  for (const g of listModifierGroups(db)) {
    const active = g.modifiers.filter((m) => m.active);
    if (active.length === 0) continue;
    row({ kind: 'group', name: g.name, min: String(g.minChoices), max: String(g.maxChoices) });
    for (const m of active)
      row({
        kind: 'modifier',
        parent: g.name,
        name: m.name,
        price: major(m.priceMinor),
        vat: vatName(m.vatRateBp),
      });
  }
  for (const p of listProducts(db)) {
    row({
      kind: 'product',
      name: p.name,
      category: p.category,
      price: major(p.priceMinor),
      vat: vatName(p.vatRateBp),
      eat_in_vat: vatName(p.eatInVatRateBp),
      sold_by: p.soldBy,
      plu: p.plu ?? '',
      sku: p.sku ?? '',
      barcode: p.barcode ?? '',
      shortcut: p.shortcut ?? '',
      groups: p.modifierGroups.map((g) => g.name).join('|'),
    });
    for (const v of p.variants)
      row({
        kind: 'variant',
        parent: p.name,
        category: p.category,
        name: v.name,
        price: major(v.priceMinor),
        barcode: v.barcode ?? '',
        sku: v.sku ?? '',
      });
  }
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
