// The Grand Prix secretariat's desk in a browser: an agent's filed candidature appears on the
// desk; the secretariat announces a repositioning (a form refused first, then sent), the
// organisation's notice arrives in the SMTP sink, and the secretariat confirms the move. Every
// page visited passes axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createToken, createUser, expectNoAxeViolations, makeMedia, signIn, url, useBrowser, waitForMail,
} from './lib.mjs';

const visit = useBrowser();

// An edition open for filing now: the year after next (the demo's open edition, which other
// tests seed, is this year's or next year's), launched yesterday, its deadline on its last day,
// its phases after. Reused when a run before made it (still open: same year).
async function openEdition(token) {
  const year = new Date().getUTCFullYear() + 2;
  const got = await fetch(url(`/api/v1/gpi/editions/${year}`));
  if (got.status === 200) {
    const e = await got.json();
    assert.ok(e.is_open, `the edition ${year} is open for filing`);
    return e;
  }
  const at = (md) => `${year + 1}-${md}`;
  const edition = {
    year,
    title: `Grand Prix de l’innovation ${year}`,
    launch_at: new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z'),
    deadline_at: `${year}-12-31T22:59:00Z`,
    window_start: `${year - 3}-01-01`,
    window_end: `${year}-12-31`,
    phases: {
      analysis: { start: at('01-04T23:00:00Z'), end: at('01-25T22:59:59Z') },
      preselection: { start: at('01-30T23:00:00Z'), end: at('02-24T22:59:59Z') },
      notification: { start: at('02-28T23:00:00Z'), end: at('03-01T22:59:59Z') },
      audition: { start: at('10-02T22:00:00Z'), end: at('10-03T21:59:59Z') },
      ceremony: { start: at('10-03T22:00:00Z'), end: at('10-04T21:59:59Z') },
    },
    limits: { dossier_max_bytes: 5242880, video_max_bytes: 524288000, video_max_seconds: 180 },
    gold_endowment_eur: 5000,
    contact: { name: 'Secrétariat du Grand Prix', email: 'gpi-secu@example.org' },
    categories: [
      { code: 'rh', name: 'Innovation RH', description: 'Préparer le futur de l’entreprise.' },
      { code: 'sociale', name: 'Innovation sociale', description: 'Le maître-mot est « solidarité ».' },
    ],
    criteria: [{ code: 'objectifs', label: 'Clarté et pertinence des objectifs du projet', weight: 1 }],
    rules: '## Article 1\n\nLe secrétariat peut repositionner une candidature.',
  };
  const res = await fetch(url('/api/v1/gpi/editions'), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(edition),
  });
  assert.equal(res.status, 201, await res.text());
  return { ...edition, is_open: true };
}

// Files an eligible candidature in category as the agent of token, with a dossier, submitted.
async function fileCandidature(token, year, category, title, contact) {
  const api = (path, init = {}) => fetch(url(path), {
    ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers || {}) },
  });
  const res = await api(`/api/v1/gpi/editions/${year}/candidatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      category, title,
      summary: 'Un accueil sur rendez-vous qui réduit l’attente.',
      objectives: 'Réduire l’attente.', actions: 'Prise de rendez-vous en ligne.',
      results: 'Le délai moyen est passé de 21 à 9 jours ; '.repeat(8),
      started_on: `${year - 2}-03-01`, completed: true,
      costs: 'Peu coûteux.', savings: 'Des économies.', generalisation: 'Partout.',
      interbranch: 'Avec la CPAM.', impact: 'Une meilleure image.',
      endowment_use: 'Former les conseillers.',
      contacts: [{ name: 'Fanny Déposante', email: contact, phone: '05 61 00 00 00' }],
      people: [{ name: 'Anne Martin', role: 'cheffe de projet', publication_withdrawn: false }],
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = await res.json();
  const pdf = makeMedia('pdf', join(tmpdir(), `desk-${process.pid}.pdf`), 4096);
  const form = new FormData();
  form.append('file', new Blob([await readFile(pdf)], { type: 'application/pdf' }), 'dossier.pdf');
  const up = await api(`/api/v1/gpi/candidatures/${id}/dossier`, { method: 'POST', body: form });
  assert.ok([200, 201].includes(up.status), await up.text());
  const sub = await api(`/api/v1/gpi/candidatures/${id}/submit`, { method: 'POST' });
  assert.equal(sub.status, 200, await sub.text());
  return id;
}

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
