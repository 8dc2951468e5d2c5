import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { CsvImportResult } from '../../src-shared/domain/catalogue';
import { countProducts } from './catalogue.repo';
import { importCatalogueCsv } from './csv-import';

/** Where the sample catalogue sits in a checkout; a packaged app passes its resources path instead. */
export const defaultSampleCataloguePath = (): string =>
  join(process.cwd(), 'assets', 'catalogue', 'sample-catalogue.csv');

/** First start: an empty catalogue gets the sample café/shop products so the till is usable at once. */
export function seedCatalogueIfEmpty(
  db: Db,
  options: { csvPath?: string; logger?: Logger } = {},
): { seeded: false } | ({ seeded: true } & CsvImportResult) {
  if (countProducts(db) > 0) return { seeded: false };
  const path = options.csvPath ?? defaultSampleCataloguePath();
  const result = importCatalogueCsv(db, readFileSync(path, 'utf8'));
  options.logger?.info('sample catalogue seeded', {
    path,
    created: result.created,
    refused: result.errors.length,
  });
  return { seeded: true, ...result };
}
