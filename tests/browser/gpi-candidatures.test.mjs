// A Grand Prix candidature in a browser, the agent's part of issue 12's flow: from a demo
// project, Camille Martin opens a draft pre-filled with the project's facts, reads on the
// eligibility panel what is missing, completes it, uploads a dossier PDF and a short MP4 (the
// image-rights box ticked first), submits, and the receipt arrives in the SMTP sink. Every
// page visited passes axe.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createToken, expectNoAxeViolations, signIn, url, useBrowser, waitForMail } from './lib.mjs';

const visit = useBrowser();
const BUILD = process.env.COUSILAB_BUILD || 'build/test';
const CAMILLE = { email: 'camille.martin@example.org', password: 'cousilab-demo-2026' };
// projects/demo.c's first project, "Offres d'emploi en vidéo", of caf-31, Camille's.
const DEMO_PROJECT = 'de5000000000000000000000';

// Loads the demo data (the editions, one open now, and the projects) once per database.
function seedDemo() {
  execFileSync(join(BUILD, 'cousilab'), ['seed', '--demo'], {
    cwd: process.env.COUSILAB_SRC || '.',
    env: { ...process.env, MONGODB_URI: `mongodb://127.0.0.1:${process.env.COUSILAB_DB_PORT || 27019}/cousilab` },
  });
}

// Returns a short MP4 (seconds long, moov at the end) and a small PDF made by media_make.
function media(seconds) {
  const dir = mkdtempSync(join(tmpdir(), 'gpi-media-'));
  try {
    execFileSync(join(BUILD, 'tests', 'media_make'), ['mp4', join(dir, 'v.mp4'), String(seconds), 'end']);
    execFileSync(join(BUILD, 'tests', 'media_make'), ['pdf', join(dir, 'd.pdf'), '4096']);
    return { mp4: readFileSync(join(dir, 'v.mp4')), pdf: readFileSync(join(dir, 'd.pdf')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an agent files a candidature from a demo project and gets the receipt', async () => {
  seedDemo();
  const token = createToken(CAMILLE.email);
  const project = await (await fetch(url(`/api/v1/projects/${DEMO_PROJECT}`), {
    headers: { Authorization: `Bearer ${token}` },
  })).json();
  const files = media(12);

  const { page } = await visit('/');
  await signIn(page, CAMILLE);
  await page.goto(url(`/projets/${project.slug}`));
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Grand Prix de l’innovation' }) });
  // One form per edition open for filing (other tests may have opened one too): the first.
  const form = section.locator('form').first();
  await form.getByRole('heading', { name: /Candidater au Grand Prix/ }).waitFor();
  await expectNoAxeViolations(page);
  const category = await form.getByLabel('Catégorie').locator('option').first().innerText();
  await form.getByRole('button', { name: 'Candidater au Grand Prix' }).click();

  // The draft carries the project's title; the panel says what is missing.
  await page.getByRole('heading', { level: 1, name: project.title }).waitFor();
  await page.getByText('Candidature créée.').waitFor();
  const complete = page.locator('[data-check="complete"]');
  assert.match(await complete.innerText(), /À corriger/);
  assert.match(await complete.innerText(), /dossier PDF/);
  assert.match(await page.locator('[data-check="completed"]').innerText(), /À corriger/);
  assert.equal(await page.getByRole('button', { name: 'Déposer la candidature' }).count(), 1);
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Modifier la candidature' }).click();
  await page.getByRole('heading', { level: 1, name: 'Modifier la candidature' }).waitFor();
  await expectNoAxeViolations(page);
  // The project started inside the window of the demo's open edition; another open edition
  // (made by another test) may have its own: take the first day its hint gives.
  const windowStart = (await page.locator('#started_on-hint').innerText()).match(/\d{4}-\d{2}-\d{2}/)[0];
  await page.getByLabel('Date de démarrage du projet').fill(windowStart);
  await page.getByLabel('Réalisation achevée ou expérimentation aboutie').check();
  await page.getByLabel('Objectifs', { exact: true }).fill('Attirer des candidats vers les métiers en tension.');
  await page.getByLabel('Résultats mesurables').fill(
    'Les candidatures par offre sont passées de six à dix-neuf en moyenne sur un an, mesurées chaque mois ; '
    + 'les postes de gestionnaire conseil sont pourvus en cinq semaines au lieu de onze, et 80 % des recrutés '
    + 'disent avoir été convaincus par la vidéo.');
  await page.getByLabel('Coûts', { exact: true }).fill('Court terme : 2 000 € de matériel.');
  await page.getByLabel('Économies', { exact: true }).fill('Moins d’annonces payantes : 6 000 € par an.');
  await page.getByLabel('Potentiel de généralisation').fill('Un kit réutilisable par tout organisme.');
  await page.getByLabel('Caractère interbranches ou inter-régimes').fill('Proposé aux CPAM de la région.');
  await page.getByLabel('Contribution à la performance et à la notoriété').fill('Une image d’employeur moderne.');
  await page.getByLabel('Nom (contact 1)').fill('Camille Martin');
  await page.getByLabel('Adresse électronique (contact 1)').fill(CAMILLE.email);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Modifications enregistrées.').waitFor();
  // Without the endowment use it is a warning only (article 9).
  assert.match(await page.locator('[data-check="endowment_use"]').innerText(), /Attention/);

  await page.getByLabel('Déposer le dossier').setInputFiles({ name: 'dossier.pdf', mimeType: 'application/pdf', buffer: files.pdf });
  await page.getByRole('button', { name: 'Envoyer le dossier' }).click();
  await page.getByText('Dossier PDF enregistré.').waitFor();
  await page.getByLabel(/Je certifie détenir les autorisations de droit à l’image/).check();
  await page.getByLabel('Déposer une vidéo').setInputFiles({ name: 'presentation.mp4', mimeType: 'video/mp4', buffer: files.mp4 });
  await page.getByRole('button', { name: 'Envoyer la vidéo' }).click();
  await page.getByText('Vidéo enregistrée.').waitFor();
  assert.match(await page.locator('[data-check="complete"]').innerText(), /Conforme/);
  assert.deepEqual(await page.locator('.gpi-checks__item--ko').allInnerTexts(), []);
  await page.getByText('Aucun critère éliminatoire n’est relevé.').waitFor();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.getByText(/Candidature déposée\./).waitFor();
  assert.match(await page.locator('.gpi-facts').innerText(), /Déposée, déposée le/);
  await expectNoAxeViolations(page);

  const receipt = await waitForMail(CAMILLE.email, new RegExp(`Catégorie\\s:\\s${category}`));
  assert.match(receipt, /accuse réception/);
  assert.match(receipt, new RegExp(project.title));
  assert.match(receipt, /\(heure de Paris\)/);
});
