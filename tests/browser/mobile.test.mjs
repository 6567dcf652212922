// At 390 px: the catalogue's facets wait behind "Filtrer" so that the results start on the
// first screen, and the account page's tables do not scroll sideways.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// Returns the parsed JSON answer of an API call with token.
async function api(token, method, path, body) {
  const response = await fetch(url(path), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// The catalogue needs a published practice for its facets.
before(async () => {
  const coordinator = createUser({ name: 'Agathe Leroy', role: 'coordinator', organisation: 'ucanss' });
  const token = createToken(coordinator.email);
  const practice = await api(token, 'POST', '/api/v1/practices', {
    title: `Accueil sur rendez-vous ${process.pid}`,
    summary: 'Des rendez-vous pris en ligne pour un accueil sans attente.',
    problem: "Les files d'attente décourageaient les assurés.",
    description: 'Un agenda partagé et des créneaux de vingt minutes.',
    organisation_ids: ['caf-31'],
    themes: ['relation-usagers'],
    maturity: 'deployee',
  });
  const submitted = await api(token, 'POST', `/api/v1/practices/${practice.id}/submit`);
  await api(token, 'POST', `/api/v1/practices/${practice.id}/publish`, { version: submitted.version });
});

test('the catalogue at 390 px: "Filtrer" hides the facets, the results start on the first screen', async () => {
  const { page } = await visit('/pratiques', PHONE);
  const filter = page.locator('summary', { hasText: 'Filtrer' });
  // The catalogue is refreshed in the background: wait for the practice to show.
  for (let i = 0; i < 20 && !(await filter.isVisible()); i++) {
    await page.waitForTimeout(250);
    await page.reload();
  }
  assert.ok(await filter.isVisible(), '"Filtrer" is shown');
  const facets = page.getByRole('navigation', { name: 'Affiner' });
  assert.equal(await facets.isVisible(), false, 'the facets wait behind "Filtrer"');
  const first = page.locator('.practice-card h3 a').first();
  const box = await first.boundingBox();
  assert.ok(box && box.y + box.height <= 844,
    `the first result's title is on the first screen (it ends at ${box && box.y + box.height} px)`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling');
  await expectNoAxeViolations(page);

  await filter.click();
  assert.ok(await facets.isVisible(), 'the facets open');
  assert.equal(await filter.evaluate((s) => s.parentElement.open), true);
  await expectNoAxeViolations(page);
});

test('the catalogue at 1366 px shows the facets without a disclosure', async () => {
  const { page } = await visit('/pratiques', { viewport: { width: 1366, height: 800 } });
  await page.locator('.practice-card').first().waitFor();
  assert.ok(await page.getByRole('navigation', { name: 'Affiner' }).isVisible());
  assert.equal(await page.locator('summary', { hasText: 'Filtrer' }).isVisible(), false);
});

test('the account page at 390 px does not scroll sideways', async () => {
  const user = createUser({ name: 'Maximilien de La Tour-Fontaine' });
  createToken(user.email);
  const { page } = await visit('/connexion', PHONE);
  await signIn(page, user);
  await page.goto(url('/compte'));
  await page.getByRole('heading', { name: 'Mon compte', level: 1 }).waitFor();
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth,
    Math.max(...[...document.querySelectorAll('.account-table-wrap')].map((w) => w.scrollWidth - w.clientWidth))]);
  assert.deepEqual(widths, [390, 0], 'neither the page nor a table scrolls sideways');
  // Each cell still says which column it belongs to.
  assert.match(await page.locator('td[data-label="Navigateur"]').first()
    .evaluate((td) => getComputedStyle(td, '::before').content), /Navigateur/);
  await expectNoAxeViolations(page);
});
