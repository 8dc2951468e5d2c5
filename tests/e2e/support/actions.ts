import type { Page } from 'playwright-core';

/** Waits until the catalogue has loaded (a quick key is on screen). */
export async function ready(page: Page): Promise<void> {
  page.setDefaultTimeout(15_000);
  await page.getByRole('button', { name: /^Add / }).first().waitFor();
}

/** Finds the key through the search field (any category), taps it, clears the search. */
export async function addProduct(page: Page, name: string, times = 1): Promise<void> {
  await page.getByLabel('Search or scan barcode').fill(name);
  const key = page.getByRole('button', {
    name: new RegExp(`^Add ${name.replace(/[()&]/g, '\\$&')},`),
  });
  for (let i = 0; i < times; i++) await key.click();
  await page.getByLabel('Search or scan barcode').fill('');
}

export async function addCustom(page: Page, amount: string, description?: string): Promise<void> {
  await page.getByLabel('Custom amount (£)').fill(amount);
  if (description) await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Add to basket' }).click();
}

export async function basketTotal(page: Page): Promise<string> {
  return (await page.getByLabel('Basket total').textContent()) ?? '';
}

export async function selectCategory(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

export const prompt = (page: Page) => page.getByRole('status', { name: 'Terminal prompt' });

/** Waits for the terminal list, then makes the given TID this till's terminal. */
export async function chooseTerminal(page: Page, tid: string): Promise<void> {
  const picker = page.getByLabel('Card terminal');
  await picker.locator('option', { hasText: `TID ${tid}` }).waitFor({ state: 'attached' });
  const value = await picker.locator('option', { hasText: `TID ${tid}` }).getAttribute('value');
  await picker.selectOption(value ?? '');
}

/** A one-line basket of `amount` (pounds and pence) — the pence pick the simulator's scenario. */
export async function basketOf(page: Page, amount: string): Promise<void> {
  await addCustom(page, amount, `Test ${amount}`);
}

export async function payByCardFromBasket(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Pay by card/ }).click();
  await page.getByRole('dialog', { name: 'Card payment' }).waitFor();
}

/** The reference of the sale just completed, then back to a new sale. */
export async function finishSale(page: Page): Promise<string> {
  const reference = (
    (await page
      .getByRole('region', { name: 'Sale complete' })
      .getByText(/^Order /)
      .textContent()) ?? ''
  ).replace('Order ', '');
  await page.getByRole('button', { name: 'New sale' }).click();
  return reference;
}

/** Finds an order by the end of its reference in Orders and opens its detail. */
export async function openOrder(page: Page, reference: string): Promise<void> {
  await page.getByRole('button', { name: 'Orders' }).click();
  await page.getByLabel('Reference').fill(reference.slice(-4));
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: `Open order ${reference}` }).click();
  await page.getByRole('heading', { name: `Order ${reference}` }).waitFor();
}

/** A card sale of custom items ([amount, name]) on the chosen terminal; answers its reference. */
export async function cardSaleOf(page: Page, items: [string, string][]): Promise<string> {
  await page.getByRole('button', { name: 'Sell', exact: true }).click();
  for (const [amount, name] of items) await addCustom(page, amount, name);
  await payByCardFromBasket(page);
  await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  return finishSale(page);
}
