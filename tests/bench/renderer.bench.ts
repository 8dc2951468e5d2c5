// The renderer in production form: JS size gzipped, adding a product to a full (200-line) basket in
// headless Chromium, and browser mode from navigation to a basket that takes a tap.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { openTill, repoRoot } from '../e2e/support/harness';
import { addCustom, ready } from '../e2e/support/actions';
import { percentile, type BenchRow } from './bench-types';
import { soldAsIs } from '../../src-shared/domain/basket-lines';
import type { Product } from '../../src-shared/domain/catalogue';

const FEATURE = 'renderer';

/** The production renderer run.ts built before the modules (out/renderer), measured. */
function productionJs(): { gzip: number; raw: number; files: number } {
  const dir = join(repoRoot, 'out', 'renderer');
  const js: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.js') || f.endsWith('.mjs')) js.push(p);
    }
  };
  walk(dir);
  let gzip = 0;
  let raw = 0;
  for (const f of js) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { gzip, raw, files: js.length };
}

/**
 * Taps a product key `n` times; each time from the click to the basket showing it, laid out.
 * (A string: tsx would wrap named functions in a helper the page does not have.)
 */
async function addToFullBasket(page: Page, n: number, asIs: string[]): Promise<number[]> {
  return page.evaluate(`(async () => {
    const names = ${JSON.stringify(asIs)};
    const keys = [...document.querySelectorAll('button')].filter((b) =>
      names.some((name) => (b.getAttribute('aria-label') ?? '').startsWith('Add ' + name + ',')),
    );
    if (keys.length === 0) throw new Error('no product keys on screen');
    const totalEl = () => document.querySelector('[aria-label="Basket total"]')?.textContent ?? '';
    const out = [];
    for (let i = 0; i < ${n}; i++) {
      const key = keys[i % keys.length];
      const before = totalEl();
      const t = performance.now();
      key.click();
      // React renders a click's update before click() returns; wait (without a frame) if not.
      while (totalEl() === before) {
        if (performance.now() - t > 5000) throw new Error('the basket did not change');
        await new Promise((r) => setTimeout(r, 0));
      }
      void document.body.offsetHeight; // style and layout of the new basket
      out.push(performance.now() - t);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    return out;
  })()`);
}

export async function bench(): Promise<BenchRow[]> {
  const js = productionJs();
  const till = await openTill({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, mode } = till;
    await ready(page);
    // Navigation to an interactive basket: a product key that takes a tap.
    const nav: number[] = [];
    for (let i = 0; i < 5; i++) {
      const fresh = await till.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const t = Date.now();
      await fresh.goto(mode.url);
      await ready(fresh);
      await fresh.getByRole('button', { name: /^Add / }).first().click({ trial: true });
      nav.push(Date.now() - t);
      await fresh.close();
    }
    // A 200-line basket: every catalogue product sold as it is once (a product with sizes or
    // options opens its dialog instead), then custom lines up to the limit.
    const catalogue = await mode.core.dispatch('catalogue:list', {});
    if (!catalogue.ok) throw new Error(catalogue.error.message);
    const asIs = (catalogue.value as Product[]).filter(soldAsIs).map((p) => p.name);
    const tabs = page.getByRole('tab');
    for (let t = 0; t < (await tabs.count()); t++) {
      await tabs.nth(t).click();
      const keys = page.getByRole('button', { name: /^Add / });
      for (let k = 0; k < (await keys.count()); k++) {
        const label = (await keys.nth(k).getAttribute('aria-label')) ?? '';
        if (asIs.some((name) => label.startsWith(`Add ${name},`))) await keys.nth(k).click();
      }
    }
    const lines = () => page.getByRole('list', { name: 'Basket lines' }).getByRole('listitem');
    let n = await lines().count();
    for (let i = n; i < 200; i++) await addCustom(page, (1 + i / 100).toFixed(2), `Line ${i}`);
    n = await lines().count();
    if (n !== 200) throw new Error(`the basket has ${n} lines, not 200`);
    const adds = await addToFullBasket(page, 60, asIs);
    await till.screenshot('bench-200-line-basket');
    return [
      {
        feature: FEATURE,
        name: 'production JS, gzipped',
        value: js.gzip / 1024,
        unit: 'KiB',
        target: 300,
        note: `${js.files} files, ${(js.raw / 1024).toFixed(0)} KiB before gzip`,
      },
      {
        feature: FEATURE,
        name: 'add a product to a 200-line basket, Chromium (p95)',
        value: percentile(adds, 95),
        unit: 'ms',
        target: 16,
        note: `p50 ${percentile(adds, 50).toFixed(1)} ms; click to basket updated and laid out`,
      },
      {
        feature: FEATURE,
        name: 'browser mode: navigation to an interactive basket (p50)',
        value: percentile(nav, 50),
        unit: 'ms',
        note: `5 loads, max ${Math.max(...nav)} ms`,
      },
    ];
  } finally {
    await till.close();
  }
}
