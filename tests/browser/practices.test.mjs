// cousiSTORE end to end: an agent shares a practice with a PDF and a link, a coordinator
// publishes it, an agent of another organisation finds it without accents, declares a
// reuse and downloads the PDF. axe runs on every page visited.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

// A small but valid PDF: what the content check expects of a real one.
const PDF = Buffer.from([
  '%PDF-1.4',
  '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj',
  '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj',
  'trailer<</Root 1 0 R>>',
  '%%EOF', ''].join('\n'), 'latin1');

async function check(page) {
  await expectNoAxeViolations(page);
}

test('share, publish, find without accents or with a typo, reuse, download', async () => {
  const run = `${process.pid}${Date.now() % 100000}`;
  const title = `Télétravail partagé entre caisses ${run}`;
  const author = createUser({ name: 'Chloé Lambert', organisation: 'caf-31' });
  const coordinator = createUser({ name: 'Marc Dubois', role: 'coordinator', organisation: 'ucanss' });
  const reader = createUser({ name: 'Sarah Blanc', organisation: 'cpam-31' });

  // The author writes the practice.
  const { page } = await visit('/connexion');
  await check(page);
  await signIn(page, author);
  await page.goto(url('/pratiques/nouvelle'));
  await check(page);
  await page.locator('#title').fill(title);
  await page.locator('#summary').fill('Une charte commune et des outils partagés pour le télétravail.');
  await page.locator('#problem').fill('Chaque caisse réinventait seule ses règles de télétravail.');
  await page.locator('#description').fill('## Démarche\n\nUn groupe de travail **interbranche** a rédigé la charte.');
  // The author's organisation is already chosen.
  await page.getByRole('button', { name: 'Retirer Caf de la Haute-Garonne' }).waitFor();
  await page.locator('#theme-nouvelles-modalites-travail').check();
  await page.locator('#maturity-experimentee').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await check(page);

  // Two resources: a PDF upload and a link.
  await page.locator('#resource-kind').selectOption('guide');
  await page.locator('#resource-title').fill('Charte de télétravail');
  await page.locator('#resource-file').setInputFiles({ name: 'charte.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
  await page.getByText('Charte de télétravail').first().waitFor();
  await page.locator('#link-kind').selectOption('lien');
  await page.locator('#link-title').fill('Accord national sur le télétravail');
  await page.locator('#link-url').fill('https://www.example.org/accord-teletravail');
  await page.getByRole('button', { name: 'Ajouter le lien' }).click();
  await page.getByRole('link', { name: /^Ouvrir le lien.*Accord national sur le télétravail/ }).waitFor();
  await check(page);

  await page.getByRole('button', { name: 'Soumettre à la coordination' }).click();
  await page.getByText('Soumise à la coordination').first().waitFor();
  await check(page);
  const sheetUrl = page.url().replace(/[?#].*$/, '');

  // The coordinator publishes it.
  const coordinatorContext = await page.context().browser().newContext({ locale: 'fr-FR' });
  const coord = await coordinatorContext.newPage();
  await signIn(coord, coordinator);
  await coord.goto(url('/pratiques/a-valider'));
  await check(coord);
  await coord.goto(sheetUrl);
  await coord.getByRole('button', { name: 'Publier' }).click();
  await coord.getByText('Publiée').first().waitFor();
  await check(coord);
  await coordinatorContext.close();

  // An agent of another organisation searches without accents.
  const readerContext = await page.context().browser().newContext({ locale: 'fr-FR' });
  const other = await readerContext.newPage();
  await signIn(other, reader);
  // With a typo, the page says what to try: its link is the corrected query.
  await other.goto(url(`/recherche?q=${encodeURIComponent(`Télétravial partagé caisses ${run}`)}`));
  await check(other);
  const suggestion = other.locator('.search-suggestion');
  assert.match(await suggestion.innerText(), new RegExp(`Essayez\u202f: teletravail partage caisses ${run}`));
  await suggestion.getByRole('link').click();
  await other.waitForURL(/[?]q=teletravail%20partage%20caisses/);
  await check(other);
  await other.getByRole('link', { name: title }).click();
  await other.getByRole('heading', { name: title, level: 1 }).waitFor();
  await check(other);

  await other.getByLabel(/Où en est/).selectOption('interessee');
  await other.getByRole('button', { name: 'Déclarer la réutilisation' }).click();
  await other.getByRole('button', { name: 'Mettre à jour notre déclaration' }).waitFor();
  assert.ok(await other.getByText('CPAM de la Haute-Garonne').count() >= 1, 'the adopter is listed');
  await check(other);

  const [download] = await Promise.all([
    other.waitForEvent('download'),
    other.getByRole('link', { name: /Télécharger/ }).first().click(),
  ]);
  const bytes = await readFile(await download.path());
  assert.ok(bytes.equals(PDF), 'the downloaded PDF is the uploaded one');
  await readerContext.close();
});
