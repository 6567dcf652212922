// The Grand Prix's finalists and prizes in a browser: the secretariat records the finalists of a
// category (a wrong count refused first), sends the phase mails, which arrive in the SMTP sink;
// the grand jury awards Or, Argent and Bronze, the Gold to a candidature that stated no use of
// the endowment, confirmed after the page says it is not attributable. Every page visited
// passes axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createToken, createUser, expectNoAxeViolations, makeMedia, signIn, url, useBrowser, waitForMail,
} from './lib.mjs';

const visit = useBrowser();

// An edition open for filing now, five years ahead (clear of the other tests' editions), its
// phases the year after.
async function openEdition(token) {
  const year = new Date().getUTCFullYear() + 5;
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
    rules: '## Article 9\n\nLa dotation suppose l’objet de la dépense.',
  };
  const res = await fetch(url('/api/v1/gpi/editions'), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(edition),
  });
  assert.equal(res.status, 201, await res.text());
  return edition;
}

// Files an eligible candidature in category rh as the agent of token, with a dossier, submits
// it, and has the secretariat (secToken) declare it recevable. Returns its id.
async function fileRecevable(token, secToken, year, title, contact, endowmentUse) {
  const api = (t, path, init = {}) => fetch(url(path), {
    ...init, headers: { Authorization: `Bearer ${t}`, ...(init.headers || {}) },
  });
  const res = await api(token, `/api/v1/gpi/editions/${year}/candidatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      category: 'rh', title,
      summary: 'Un parcours d’intégration des nouveaux agents.',
      objectives: 'Intégrer plus vite.', actions: 'Un parrainage.',
      results: 'Le délai d’autonomie est passé de 9 à 5 mois ; '.repeat(8),
      started_on: `${year - 2}-03-01`, completed: true,
      costs: 'Peu coûteux.', savings: 'Des économies.', generalisation: 'Partout.',
      interbranch: 'Avec la CPAM.', impact: 'Une meilleure image.',
      endowment_use: endowmentUse,
      contacts: [{ name: 'Fanny Déposante', email: contact, phone: '05 61 00 00 00' }],
      people: [{ name: 'Anne Martin', role: 'cheffe de projet', publication_withdrawn: false }],
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = await res.json();
  const pdf = makeMedia('pdf', join(tmpdir(), `final-${process.pid}.pdf`), 4096);
  const form = new FormData();
  form.append('file', new Blob([await readFile(pdf)], { type: 'application/pdf' }), 'dossier.pdf');
  const up = await api(token, `/api/v1/gpi/candidatures/${id}/dossier`, { method: 'POST', body: form });
  assert.ok([200, 201].includes(up.status), await up.text());
  const sub = await api(token, `/api/v1/gpi/candidatures/${id}/submit`, { method: 'POST' });
  assert.equal(sub.status, 200, await sub.text());
  const ok = await api(secToken, `/api/v1/gpi/candidatures/${id}/admissibility`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ admissible: true }),
  });
  assert.equal(ok.status, 200, await ok.text());
  return id;
}

test('the secretariat records the finalists, the grand jury awards the prizes', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const juror = createUser({ name: 'Thomas Grand-Juré', role: 'grand_juror', organisation: 'ucanss' });
  const filer = createUser({ name: 'Fanny Déposante' });
  const secToken = createToken(secretariat.email);
  const edition = await openEdition(secToken);
  const { year } = edition;
  const tag = process.pid;
  const titles = [`Parrainage ${tag}`, `Tutorat ${tag}`, `Atelier sans dotation ${tag}`, `Accueil ${tag}`];
  const token = createToken(filer.email);
  for (const [i, title] of titles.entries())
    await fileRecevable(token, secToken, year, title, filer.email, i === 2 ? '' : 'Former les agents.');

  const { page } = await visit('/');
  await signIn(page, secretariat);
  await page.goto(url(`/grand-prix/${year}/finalistes`));
  await page.getByRole('heading', { level: 1, name: `Finalistes du ${edition.title}` }).waitFor();
  await expectNoAxeViolations(page);

  // Two are not three: refused, with what was ticked kept.
  await page.getByLabel(titles[0], { exact: false }).check();
  await page.getByLabel(titles[1], { exact: false }).check();
  await page.getByRole('button', { name: /Enregistrer les finalistes de «\sInnovation RH\s»/ }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  await page.getByText('Choisissez exactement trois finalistes').first().waitFor();
  assert.ok(await page.getByLabel(titles[0], { exact: false }).isChecked());
  await expectNoAxeViolations(page);

  await page.getByLabel(titles[2], { exact: false }).check();
  await page.getByLabel('Compte rendu de la délibération', { exact: false }).first().fill('Trois dossiers remarquables.');
  await page.getByRole('button', { name: /Enregistrer les finalistes de «\sInnovation RH\s»/ }).click();
  await page.getByText('Les finalistes sont enregistrés.').waitFor();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Envoyer les courriels de notification' }).click();
  await page.getByText('Les courriels de la phase de notification sont partis.').waitFor();
  await expectNoAxeViolations(page);
  const invitation = await waitForMail(filer.email, /est finaliste/);
  assert.match(invitation, /audition/);
  await waitForMail(filer.email, /pas retenue parmi les finalistes/);

  // The grand jury: the Gold without a stated use of the endowment is confirmed first.
  const { page: jury } = await visit('/');
  await signIn(jury, juror);
  await jury.goto(url(`/grand-prix/${year}/grand-jury`));
  await jury.getByRole('heading', { level: 1, name: `Grand jury du ${edition.title}` }).waitFor();
  await jury.getByText(/Dotation non attribuable/).first().waitFor();
  await expectNoAxeViolations(jury);
  await jury.getByLabel('Or', { exact: true }).selectOption({ label: titles[2] });
  await jury.getByLabel('Argent', { exact: true }).selectOption({ label: titles[0] });
  await jury.getByLabel('Bronze', { exact: true }).selectOption({ label: titles[1] });
  await jury.getByRole('button', { name: /Enregistrer les prix de «\sInnovation RH\s»/ }).click();
  await jury.getByRole('heading', { level: 1, name: 'Attribuer l’or sans dotation ?' }).waitFor();
  await jury.getByText(/non attribuable/).waitFor();
  await expectNoAxeViolations(jury);
  await jury.getByRole('button', { name: 'Confirmer les prix' }).click();
  await jury.getByText('Les prix de la catégorie sont enregistrés.').waitFor();
  await expectNoAxeViolations(jury);
});
