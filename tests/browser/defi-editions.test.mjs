// The Défi du Lab's editions in a browser: a coordinator creates one through the form (Paris
// local time, a refused first try keeping what was typed), its page shows the close in French
// with a countdown readable without JavaScript, and the coordinators' pages (edit form, teams,
// figures) pass axe like every other page visited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

// Local "YYYY-MM-DDTHH:MM:SS" of now plus days, as a datetime-local input takes it (the test
// machine's zone does not matter: the edition's window is wide).
function localInput(days) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
}

test('a coordinator creates an edition and runs it from its pages', async () => {
  const coordinator = createUser({ name: 'Julie Coordinatrice', role: 'coordinator', organisation: 'ucanss' });
  const { page } = await visit('/connexion');
  await signIn(page, coordinator);
  await page.goto(url('/defi'));
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Créer une édition' }).click();
  await page.getByRole('heading', { name: 'Nouvelle édition du Défi du Lab' }).waitFor();
  await expectNoAxeViolations(page);

  // A first try without a theme: refused, the error next to its field, the rest kept.
  let year = 2041 + (process.pid % 25) * 2;
  await page.getByLabel('Année').fill(String(year));
  await page.getByLabel('Titre').fill('Défi du Lab (navigateur)');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  assert.match(await page.title(), /^Erreur/);
  assert.equal(await page.getByLabel('Titre').inputValue(), 'Défi du Lab (navigateur)');
  await expectNoAxeViolations(page);

  const fill = async () => {
    await page.getByLabel('Année').fill(String(year));
    await page.getByLabel('Thème').fill('mieux attirer, recruter et fidéliser');
    await page.getByLabel('Présentation').fill('Deux jours à **Paris** pour prototyper.');
    await page.getByLabel('Premier jour de l’évènement').fill(`${year}-06-26`);
    await page.getByLabel('Dernier jour de l’évènement').fill(`${year}-06-27`);
    await page.getByLabel('Lieu').fill('Paris');
    await page.getByLabel('Ouverture des candidatures').fill(localInput(-1));
    await page.getByLabel('Clôture des candidatures').fill(localInput(20));
    await page.getByLabel('Question 1').fill('Quel besoin votre idée satisfait-elle ?');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForLoadState();
  };
  await fill();
  // Another run may hold the year: the error says so; take the next one.
  for (let tries = 0; tries < 20 && page.url().endsWith('/defi/nouvelle'); tries++) {
    assert.match(await page.locator('#year-error').innerText(), /existe déjà/);
    year++;
    await fill();
  }
  assert.equal(new URL(page.url()).pathname, `/defi/${year}`);
  await page.getByRole('heading', { name: 'Défi du Lab (navigateur)' }).waitFor();
  assert.match(await page.locator('.defi-countdown').innerText(), /il reste \d+ jours/);
  await expectNoAxeViolations(page);

  for (const [path, heading] of [[`/defi/${year}/modifier`, `Modifier l’édition ${year}`],
    [`/defi/${year}/equipes`, 'Équipes inscrites'], [`/defi/${year}/pilotage`, 'Pilotage']]) {
    await page.goto(url(path));
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expectNoAxeViolations(page);
  }

  // Without JavaScript, anyone reads the countdown on the page itself (axe, a script, checked
  // the same page above).
  const anon = await visit(`/defi/${year}`, { javaScriptEnabled: false });
  assert.equal(anon.response.status(), 200);
  assert.match(await anon.page.locator('.defi-countdown').innerText(), /il reste \d+ jours/);
});
