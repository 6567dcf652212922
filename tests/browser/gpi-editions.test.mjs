// The Grand Prix's editions in a browser: the navigation's "Grand Prix" link leads to the
// editions, an edition's page shows its calendar as a timeline in French with a countdown
// readable without JavaScript, and the secretariat's forms (new, refused, edit) pass axe like
// every other page visited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEdition } from './gpi-lib.mjs';
import { createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

// Returns an edition of year with 2022's rules and calendar moved to it (the API's JSON).
function editionOf(year) {
  const phases = {
    analysis: ['04-03T22:00:00Z', '05-25T21:59:59Z'],
    preselection: ['05-29T22:00:00Z', '06-24T21:59:59Z'],
    notification: ['06-30T22:00:00Z', '07-01T21:59:59Z'],
    audition: ['10-02T22:00:00Z', '10-03T21:59:59Z'],
    ceremony: ['10-03T22:00:00Z', '10-04T21:59:59Z'],
  };
  return {
    year,
    title: `Grand Prix de l’innovation ${year}`,
    launch_at: `${year}-01-09T23:00:00Z`,
    deadline_at: `${year}-04-01T21:30:00Z`,
    window_start: `${year - 3}-01-01`,
    window_end: `${year - 1}-12-31`,
    phases: Object.fromEntries(Object.entries(phases)
      .map(([k, [start, end]]) => [k, { start: `${year}-${start}`, end: `${year}-${end}` }])),
    limits: { dossier_max_bytes: 5242880, video_max_bytes: 524288000, video_max_seconds: 180 },
    gold_endowment_eur: 5000,
    contact: { name: 'Secrétariat du Grand Prix', email: 'gpi-secu@example.org' },
    categories: [
      { code: 'relation-usagers', name: 'Innovation en matière de relation aux usagers', description: 'Un service de qualité.' },
      { code: 'rh', name: 'Innovation RH', description: 'Préparer le futur de l’entreprise.' },
    ],
    criteria: [{ code: 'objectifs', label: 'Clarté et pertinence des objectifs du projet', weight: 1 }],
    rules: '## Article 3\n\nLe dossier est un **PDF** de 5 Mo au plus.',
  };
}

test('anyone reads an edition, its calendar and its categories', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const { year } = await newEdition(createToken(secretariat.email), editionOf);

  const { page } = await visit('/');
  await page.getByRole('link', { name: 'Grand Prix', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Grand Prix de l’innovation' }).waitFor();
  await expectNoAxeViolations(page);

  await page.goto(url(`/grand-prix/${year}`));
  await page.getByRole('heading', { level: 1, name: `Grand Prix de l’innovation ${year}` }).waitFor();
  const steps = page.locator('.gpi-timeline li');
  assert.equal(await steps.count(), 7);
  assert.match(await steps.nth(1).innerText(), new RegExp(`1er avril ${year} à 23 h 30`));
  assert.match(await steps.nth(6).innerText(), new RegExp(`4 octobre ${year}`));
  await page.getByRole('heading', { name: 'Innovation RH' }).waitFor();
  await page.getByRole('heading', { name: 'Règlement' }).waitFor();
  await expectNoAxeViolations(page);

  // Without JavaScript, the countdown is on the page itself.
  const anon = await visit(`/grand-prix/${year}`, { javaScriptEnabled: false });
  assert.equal(anon.response.status(), 200);
  assert.match(await anon.page.locator('.gpi-countdown').innerText(), /ouvre dans \d+ jours/);
});

test('the secretariat creates and edits editions through accessible forms', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const { year } = await newEdition(createToken(secretariat.email), editionOf);
  const { page } = await visit('/connexion');
  await signIn(page, secretariat);
  await page.goto(url('/grand-prix'));
  await page.getByRole('link', { name: 'Créer une édition' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouvelle édition du Grand Prix' }).waitFor();
  await expectNoAxeViolations(page);

  // A first try with a title only: refused, the errors listed and next to their fields.
  await page.getByLabel('Titre').fill('Grand Prix (navigateur)');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  assert.match(await page.title(), /^Erreur/);
  assert.equal(await page.getByLabel('Titre').inputValue(), 'Grand Prix (navigateur)');
  assert.match(await page.locator('#categories-error').innerText(), /au moins une catégorie/);
  await expectNoAxeViolations(page);

  await page.goto(url(`/grand-prix/${year}/modifier`));
  await page.getByRole('heading', { level: 1, name: `Modifier l’édition ${year}` }).waitFor();
  assert.match(await page.getByLabel('Date limite de dépôt').inputValue(), new RegExp(`^${year}-04-01T23:30(:00)?$`));
  assert.equal(await page.getByLabel('Code de la catégorie 2').inputValue(), 'rh');
  await expectNoAxeViolations(page);
  await page.getByLabel(/^Dotation du prix/).fill('6000');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForURL(url(`/grand-prix/${year}`));
  assert.match(await page.locator('.gpi-facts').innerText(), /6\u202f000\u00a0€/);
});
