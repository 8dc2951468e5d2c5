import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import { parseMajorUnits } from '../../src-shared/money';
import { printableTextProblem } from '../../src-shared/domain/printable-text';
import {
  barcodeProblem,
  MAX_CSV_BYTES,
  type CsvImportResult,
  type CsvRowError,
  type Product,
  type VatRateBp,
} from '../../src-shared/domain/catalogue';
import {
  findProductByBarcode,
  findProductByNameCategory,
  findProductsByShortcut,
} from './catalogue.repo';
import { audit } from '../platform/audit';
import { preparedFor } from '../platform/prepared';

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

type Draft = {
  row: number;
  name: string;
  category: string;
  priceMinor: number;
  vatRateBp: VatRateBp;
  barcode: string | null;
  shortcut: string | null;
};

const REQUIRED = ['name', 'category', 'price', 'vat'] as const;
const OPTIONAL = ['barcode', 'shortcut'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

function readHeader(record: CsvRecord | undefined): Map<Column, number> {
  if (!record)
    throw new TillError(
      'VALIDATION',
      'The file is empty: it needs a header row (name, category, price, vat, barcode, shortcut).',
    );
  const index = new Map<Column, number>();
  record.fields.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (
      (REQUIRED as readonly string[]).includes(key) ||
      (OPTIONAL as readonly string[]).includes(key)
    )
      index.set(key as Column, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new TillError(
      'VALIDATION',
      `The header row is missing: ${missing.join(', ')}. Expected name, category, price, vat, barcode, shortcut.`,
    );
  }
  return index;
}

function parseVat(text: string): VatRateBp | null {
  const v = text.trim().replace(/\s*%$/, '');
  if (v === '20') return 2000;
  if (v === '5') return 500;
  if (v === '0') return 0;
  return null;
}

function draftRow(record: CsvRecord, cols: Map<Column, number>): Draft | string {
  const get = (c: Column) => {
    const i = cols.get(c);
    return i === undefined ? '' : (record.fields[i] ?? '').trim();
  };
  const name = get('name');
  const category = get('category');
  if (!name) return 'name is empty';
  const unprintable =
    printableTextProblem(name, 'name') ??
    printableTextProblem(category, 'category') ??
    printableTextProblem(get('shortcut'), 'shortcut');
  if (unprintable) return unprintable;
  if (name.length > 80) return 'name is longer than 80 characters';
  if (!category) return 'category is empty';
  if (category.length > 40) return 'category is longer than 40 characters';
  const price = parseMajorUnits(get('price'));
  if (!price.ok) return `price "${get('price')}": ${price.message}`;
  const vat = parseVat(get('vat'));
  if (vat === null) return `vat "${get('vat')}" must be 20, 5 or 0`;
  const barcode = get('barcode') || null;
  if (barcode) {
    const problem = barcodeProblem(barcode);
    if (problem) return problem;
  }
  const shortcut = get('shortcut') || null;
  if (shortcut && shortcut.length > 10) return 'shortcut is longer than 10 characters';
  return {
    row: record.row,
    name,
    category,
    priceMinor: price.minor,
    vatRateBp: vat,
    barcode,
    shortcut,
  };
}

const stmts = preparedFor((db) => ({
  insert: db.prepare(
    `INSERT INTO products (id, name, category, price_minor, vat_rate_bp, barcode, shortcut, sort_order, active, created_at, updated_at)
     VALUES (@id, @name, @category, @price, @vat, @barcode, @shortcut, @sort, 1, @now, @now)`,
  ),
  update: db.prepare(
    `UPDATE products SET name = @name, category = @category, price_minor = @price, vat_rate_bp = @vat,
            barcode = coalesce(@barcode, barcode), shortcut = coalesce(@shortcut, shortcut), active = 1, updated_at = @now
     WHERE id = @id`,
  ),
}));

type Existing = Product | null;

/**
 * Imports a catalogue CSV. Every bad row is reported with its row number and reason; the good
 * rows are written in one transaction. A row updates the product with the same name in the same
 * category, else it creates one; a row whose barcode is already on a product with another name or
 * category is refused with its row number (never a silent rename).
 */
export function importCatalogueCsv(db: Db, csv: string): CsvImportResult {
  if (csv.length > MAX_CSV_BYTES)
    throw new TillError('VALIDATION', 'A catalogue file can be at most 1 MB.');
  const [header, ...records] = parseCsv(csv);
  const cols = readHeader(header);
  const errors: CsvRowError[] = [];
  const drafts: Draft[] = [];
  const seenBarcodes = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const seenShortcuts = new Map<string, number>();
  for (const record of records) {
    const draft = draftRow(record, cols);
    if (typeof draft === 'string') {
      errors.push({ row: record.row, reason: draft });
      continue;
    }
    const nameKey = `${draft.name.toLowerCase()}\u0000${draft.category.toLowerCase()}`;
    const dupBarcode = draft.barcode ? seenBarcodes.get(draft.barcode) : undefined;
    const dupName = seenNames.get(nameKey);
    if (dupBarcode !== undefined) {
      errors.push({
        row: record.row,
        reason: `barcode ${draft.barcode} is already on row ${dupBarcode}`,
      });
      continue;
    }
    if (dupName !== undefined) {
      errors.push({
        row: record.row,
        reason: `${draft.name} in ${draft.category} is already on row ${dupName}`,
      });
      continue;
    }
    const dupShortcut = draft.shortcut
      ? seenShortcuts.get(draft.shortcut.toLowerCase())
      : undefined;
    if (dupShortcut !== undefined) {
      errors.push({
        row: record.row,
        reason: `shortcut ${draft.shortcut} is already on row ${dupShortcut}`,
      });
      continue;
    }
    if (draft.shortcut) seenShortcuts.set(draft.shortcut.toLowerCase(), record.row);
    if (draft.barcode) seenBarcodes.set(draft.barcode, record.row);
    seenNames.set(nameKey, record.row);
    drafts.push(draft);
  }

  let created = 0;
  let updated = 0;
  db.transaction(() => {
    const s = stmts(db);
    const now = nowIso();
    for (const d of drafts) {
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
      const params = {
        name: d.name,
        category: d.category,
        price: d.priceMinor,
        vat: d.vatRateBp,
        barcode: d.barcode,
        shortcut: d.shortcut,
        now,
      };
      if (target) {
        s.update.run({ ...params, id: target.id });
        updated++;
      } else {
        s.insert.run({ ...params, id: randomUUID(), sort: d.row * 10 });
        created++;
      }
    }
    audit(db, 'till', 'catalogue.import', null, { created, updated, refused: errors.length }, now);
  })();
  errors.sort((a, b) => a.row - b.row);
  return { imported: created + updated, created, updated, errors };
}
