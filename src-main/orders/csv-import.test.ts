import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import { importCatalogueCsv, parseCsv } from './csv-import';
import { findProductByBarcode, findProductsByShortcut, listProducts } from './catalogue.repo';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and blank lines, keeping line numbers', () => {
    const records = parseCsv(
      '\uFEFFname,price\r\n"Cheese, Pickle",2.50\r\n\r\n"Say ""hi""\nthere",1\nlast,3',
    );
    expect(records).toEqual([
      { row: 1, fields: ['name', 'price'] },
      { row: 2, fields: ['Cheese, Pickle', '2.50'] },
      { row: 4, fields: ['Say "hi"\nthere', '1'] },
      { row: 6, fields: ['last', '3'] },
    ]);
  });
});

describe('importCatalogueCsv', () => {
  const header = 'name,category,price,vat,barcode,shortcut';

  it('imports good rows in one go and reports every bad row with its number and reason', () => {
    t = tempDb();
    const csv = [
      header,
      'Latte,Coffee,3.40,20,,F5', // 2 ok
      'Bad Price,Coffee,3.4x,20,,', // 3
      'Bad Vat,Coffee,1.00,17.5,,', // 4
      'Bad Barcode,Retail,1.00,20,5012345678901,', // 5
      ',Retail,1.00,20,,', // 6
      'Water,Retail,1.20,20,5012345000015,', // 7 ok
      'Water Again,Retail,1.20,20,5012345000015,', // 8 duplicate barcode
      'latte,coffee,3.50,20,,', // 9 duplicate name in category
      'Negative,Retail,-1.00,20,,', // 10
      'Croissant,Bakery,£2.10,0%,,', // 11 ok
      'Short,Retail,1.00,20,1234,', // 12
    ].join('\n');
    const result = importCatalogueCsv(t.db, csv);
    expect(result).toMatchObject({ imported: 3, created: 3, updated: 0 });
    expect(result.errors).toEqual([
      { row: 3, reason: 'price "3.4x": Amount must be pounds and pence, like 4.50' },
      {
        row: 4,
        reason:
          'vat "17.5" is not one of this shop\'s VAT rates (Standard 20 %, Reduced 5 %, Zero 0 %)',
      },
      { row: 5, reason: 'Barcode "5012345678901" has a wrong check digit (last digit)' },
      { row: 6, reason: 'name is empty' },
      { row: 8, reason: 'barcode 5012345000015 is already on row 7' },
      { row: 9, reason: 'latte in coffee is already on row 2' },
      { row: 10, reason: 'price "-1.00": Amount cannot be negative' },
      { row: 12, reason: 'Barcode "1234" must be 8 (EAN-8), 12 (UPC-A) or 13 (EAN-13) digits' },
    ]);
    const products = listProducts(t.db);
    expect(products.map((p) => [p.name, p.priceMinor, p.vatRateBp])).toEqual([
      ['Croissant', 210, 0],
      ['Latte', 340, 2000],
      ['Water', 120, 2000],
    ]);
    expect(products.find((p) => p.name === 'Latte')?.shortcut).toBe('F5');
  });

  it('re-import updates by name and category; a barcode on another product is refused with its row', () => {
    t = tempDb();
    importCatalogueCsv(
      t.db,
      [header, 'Water,Retail,1.20,20,5012345000015,', 'Latte,Coffee,3.40,20,,'].join('\n'),
    );
    const again = importCatalogueCsv(
      t.db,
      [
        header,
        'Still Water 500ml,Retail,1.25,20,5012345000015,',
        'LATTE,coffee,3.60,20,,L',
        'Mocha,Coffee,3.70,20,,',
        'Water,Retail,1.30,20,,',
      ].join('\n'),
    );
    expect(again).toMatchObject({ imported: 3, created: 1, updated: 2 });
    expect(again.errors).toEqual([
      {
        row: 2,
        reason:
          'barcode 5012345000015 belongs to Water (Retail), but Still Water 500ml in Retail is another product: fix the barcode, or rename the product in Settings first',
      },
    ]);
    expect(findProductByBarcode(t.db, '5012345000015')).toMatchObject({
      name: 'Water',
      priceMinor: 130,
    });
    const latte = listProducts(t.db, { search: 'latte' });
    expect(latte).toHaveLength(1);
    expect(latte[0]).toMatchObject({ priceMinor: 360, shortcut: 'L' });
  });

  it('refuses a row whose barcode belongs to a different product than its name', () => {
    t = tempDb();
    importCatalogueCsv(
      t.db,
      [header, 'Water,Retail,1.20,20,5012345000015,', 'Crisps,Retail,1.30,20,5012345000039,'].join(
        '\n',
      ),
    );
    const result = importCatalogueCsv(
      t.db,
      [header, 'Crisps,Retail,1.30,20,5012345000015,'].join('\n'),
    );
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([
      {
        row: 2,
        reason:
          'barcode 5012345000015 belongs to Water (Retail), but Crisps in Retail is another product: fix the barcode, or rename the product in Settings first',
      },
    ]);
  });

  it('a euro till is told about euros and cents, not pounds and pence', () => {
    t = tempDb();
    const rows = [header, 'Cake,Bakery,cheap,0,,'].join('\n');
    const euro = importCatalogueCsv(t.db, rows, 'EUR');
    expect(euro.errors[0]?.reason).toContain('euros and cents');
    expect(euro.errors[0]?.reason).not.toContain('pounds');
    expect(importCatalogueCsv(t.db, rows).errors[0]?.reason).toContain('pounds and pence');
  });

  it('reads comma-decimal prices as pounds and pence, and refuses an ambiguous one', () => {
    t = tempDb();
    const result = importCatalogueCsv(
      t.db,
      [
        header,
        'Cake,Bakery,"12,50",0,,',
        'Hamper,Retail,"1.250,00",20,,',
        'Tea,Coffee,"1,250",20,,',
        'Odd,Retail,"1,2,3",20,,',
      ].join('\n'),
    );
    expect(result.errors.map((e) => e.row)).toEqual([4, 5]);
    expect(result.errors[0]?.reason).toContain('is unclear');
    expect(result.errors[1]?.reason).toContain('not a clear amount');
    expect(listProducts(t.db).map((p) => [p.name, p.priceMinor])).toEqual([
      ['Cake', 1250],
      ['Hamper', 125000],
    ]);
  });

  it('refuses a shortcut already on another row or another product, with the row number', () => {
    t = tempDb();
    importCatalogueCsv(t.db, [header, 'Latte,Coffee,3.40,20,,F5'].join('\n'));
    const result = importCatalogueCsv(
      t.db,
      [
        header,
        'Mocha,Coffee,3.70,20,,f5', // 2: Latte's key
        'Tea,Coffee,2.00,20,,F6', // 3
        'Chai,Coffee,2.80,20,,F6', // 4: same as row 3
        'Latte,Coffee,3.50,20,,', // 5: an update that keeps its own key
      ].join('\n'),
    );
    expect(result).toMatchObject({ created: 1, updated: 1 });
    expect(findProductsByShortcut(t.db, 'F5').map((p) => [p.name, p.priceMinor])).toEqual([
      ['Latte', 350],
    ]);
    expect(result.errors).toEqual([
      { row: 2, reason: 'shortcut f5 is already used by Latte (Coffee)' },
      { row: 4, reason: 'shortcut F6 is already on row 3' },
    ]);
  });

  it('refuses a file without the required header columns', () => {
    t = tempDb();
    expect(() => importCatalogueCsv(t!.db, 'name,price\nLatte,3.40')).toThrow(
      'The header row is missing: category, vat.',
    );
    expect(() => importCatalogueCsv(t!.db, '')).toThrow('The file is empty');
  });
});
