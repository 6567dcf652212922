import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectLayout, expectNoAxeViolations, useBrowser } from './lib.mjs';

const visit = useBrowser();

test('une adresse inconnue affiche la page 404 française dans le layout', async () => {
  const { page, response } = await visit('/cette-page-n-existe-pas');
  assert.equal(response.status(), 404);
  assert.match(response.headers()['content-type'] ?? '', /^text\/html/);
  assert.match(await page.title(), /introuvable/i);
  await expectLayout(page);
  await expectNoAxeViolations(page);
});
