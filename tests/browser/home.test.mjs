import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectLayout, expectNoAxeViolations, useBrowser } from './lib.mjs';

const visit = useBrowser();

test("page d'accueil : layout, titre, accessibilité", async () => {
  const { page, response } = await visit('/');
  assert.equal(response.status(), 200);
  assert.match(await page.title(), /Accueil/);
  await expectLayout(page);
  await expectNoAxeViolations(page);
});

test("le lien d'évitement est le premier arrêt de tabulation et mène à #contenu", async () => {
  const { page } = await visit('/');
  await page.keyboard.press('Tab');
  const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  assert.equal(href, '#contenu', 'the first Tab stop is the skip link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'contenu', null, { timeout: 2000 })
    .catch(() => assert.fail('focus did not move to #contenu'));
});

test('la feuille de style est versionnée et mise en cache pour toujours', async () => {
  const { page } = await visit('/');
  const hrefs = await page.locator('link[rel="stylesheet"]').evaluateAll((ls) => ls.map((l) => l.href));
  assert.equal(hrefs.length, 1, `one stylesheet, got ${hrefs.join(', ')}`);
  assert.match(new URL(hrefs[0]).pathname, /^\/static\/css\/cousilab\.[0-9a-f]{16}\.css$/);
  const css = await page.request.get(hrefs[0]);
  assert.equal(css.status(), 200);
  assert.match(css.headers()['content-type'] ?? '', /^text\/css/);
  assert.match(css.headers()['cache-control'] ?? '', /immutable/);
});
