// The header's shortcuts follow the visitor's roles on every page, shared pages included,
// and a destructive action asks on a page of its own before anything changes. axe runs on
// every page visited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

const SHORTCUTS = ['Partager une pratique', 'Mes pratiques', 'Mon Défi', 'À valider', 'Administration'];
// Pages of several kinds: shared by signed-in visitors (home, catalogue, clubs) or not.
const PAGES = ['/', '/pratiques', '/clubs', '/compte'];

// Asserts that the page's shortcuts are exactly `expected`, in that order, and that they
// lead where they say.
async function expectShortcuts(page, expected) {
  const nav = page.getByRole('navigation', { name: 'Raccourcis' });
  if (expected.length === 0) {
    assert.equal(await nav.count(), 0, `no shortcuts on ${page.url()}`);
    return;
  }
  const names = (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
  assert.deepEqual(names, expected, `shortcuts on ${page.url()}`);
}

async function visitAll(page, expected) {
  for (const path of PAGES) {
    await page.goto(url(path));
    await expectShortcuts(page, expected);
    await expectNoAxeViolations(page);
  }
}

test('anonymous visitors get no shortcuts', async () => {
  const { page } = await visit('/');
  await expectShortcuts(page, []);
  await page.goto(url('/pratiques'));
  await expectShortcuts(page, []);
});

test('shortcuts by role on every page', async () => {
  const people = [
    [createUser({ name: 'Léa Girard' }), SHORTCUTS.slice(0, 3)],
    [createUser({ name: 'Noé Perrin', role: 'coordinator' }), SHORTCUTS.slice(0, 4)],
    [createUser({ name: 'Zoé Garnier', role: 'admin' }), SHORTCUTS],
  ];
  for (const [person, expected] of people) {
    const { page } = await visit('/connexion');
    await signIn(page, person);
    await visitAll(page, expected);
  }

  // They lead to their pages.
  const { page } = await visit('/connexion');
  await signIn(page, people[1][0]);
  await page.getByRole('navigation', { name: 'Raccourcis' }).getByRole('link', { name: 'À valider' }).click();
  await page.waitForURL(/\/pratiques\/a-valider$/);
  await page.getByRole('navigation', { name: 'Raccourcis' }).getByRole('link', { name: 'Partager une pratique' }).click();
  await page.waitForURL(/\/pratiques\/nouvelle$/);
  await expectNoAxeViolations(page);
});

test('revoking a token asks first, on a page of its own', async () => {
  const user = createUser({ name: 'Inès Moreau' });
  createToken(user.email);
  const { page } = await visit('/connexion');
  await signIn(page, user);
  await page.goto(url('/compte'));
  const row = page.getByRole('row').filter({ hasText: 'tests du navigateur' });
  assert.equal(await row.count(), 1);

  // The button is a link to the confirmation page: opening it changes nothing.
  await row.getByRole('link', { name: /Révoquer/ }).click();
  await page.getByRole('heading', { name: /^Révoquer ce jeton\s\?$/, level: 1 }).waitFor();
  await page.getByText(/Jeton «\stests du navigateur\s»/).waitFor();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Annuler' }).click();
  await page.waitForURL(/\/compte(#jetons)?$/);
  assert.equal(await page.getByRole('row').filter({ hasText: 'tests du navigateur' }).count(), 1);

  // Confirmed, it is gone.
  await page.getByRole('row').filter({ hasText: 'tests du navigateur' })
    .getByRole('link', { name: /Révoquer/ }).click();
  await page.getByRole('button', { name: 'Révoquer le jeton' }).click();
  await page.getByText('Le jeton est révoqué').waitFor();
  assert.equal(await page.getByRole('row').filter({ hasText: 'tests du navigateur' }).count(), 0);
  await expectNoAxeViolations(page);
});
