// The Grand Prix secretariat's desk in a browser: an agent's filed candidature appears on the
// desk; the secretariat announces a repositioning (a form refused first, then sent), the
// organisation's notice arrives in the SMTP sink, and the secretariat confirms the move. Every
// page visited passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileCandidature, openEdition } from './gpi-lib.mjs';
import {
  createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser, waitForMail,
} from './lib.mjs';

const visit = useBrowser();

test('the secretariat announces, then confirms, a repositioning', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const filer = createUser({ name: 'Fanny Déposante' });
  const edition = await openEdition(createToken(secretariat.email));
  const [from, to] = edition.categories.map((c) => c.code);
  const toName = edition.categories[1].name;
  const title = `Accueil sans attente ${process.pid}`;
  const id = await fileCandidature(createToken(filer.email), edition.year, from, title, filer.email);

  // Confirming with no announcement is refused.
  const early = await fetch(url(`/api/v1/gpi/candidatures/${id}/repositioning/confirm`), {
    method: 'POST', headers: { Authorization: `Bearer ${createToken(secretariat.email)}` },
  });
  assert.equal(early.status, 409);

  const { page } = await visit('/');
  await signIn(page, secretariat);
  await page.goto(url(`/grand-prix/${edition.year}/secretariat?categorie=${from}`));
  await page.getByRole('heading', { level: 1, name: 'Secrétariat du Grand Prix' }).waitFor();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await expectNoAxeViolations(page);

  // A message is required: the form comes back with what was chosen.
  await page.getByLabel('Nouvelle catégorie').selectOption(to);
  await page.getByRole('button', { name: 'Annoncer le repositionnement' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  await expectNoAxeViolations(page);

  await page.getByLabel('Nouvelle catégorie').selectOption(to);
  await page.getByLabel('Message à l’organisme').fill('Votre projet relève plutôt de l’innovation sociale.');
  await page.getByRole('button', { name: 'Annoncer le repositionnement' }).click();
  await page.getByText('Le repositionnement est annoncé').waitFor();
  await page.getByText(new RegExp(`vers la catégorie «\\s${toName}\\s»`)).waitFor();
  await expectNoAxeViolations(page);
  const mail = await waitForMail(filer.email, /va repositionner votre candidature/);
  assert.match(mail, /relève plutôt de l’innovation sociale/);

  await page.getByRole('button', { name: new RegExp(`Confirmer le repositionnement vers «\\s${toName}\\s»`) }).click();
  await page.getByText('Le repositionnement est confirmé').waitFor();
  assert.match(await page.locator('dl').innerText(), new RegExp(toName));
  await expectNoAxeViolations(page);
});
