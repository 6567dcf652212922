// The Grand Prix's browser tests' shared steps: an edition open for filing, and a candidature
// filed, with its dossier, and submitted through the API as its filer would.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMedia, newYearlyEdition, url } from './lib.mjs';

// Creates the Grand Prix edition build(year) returns, as the secretariat of token, in a free
// year (newYearlyEdition). Returns what was created.
export function newEdition(token, build) {
  return newYearlyEdition(token, '/api/v1/gpi/editions', build);
}

// The edition of year open for filing now: launched yesterday, its deadline on the last day
// of its year, its phases the year after.
function openEditionOf(year) {
  const at = (md) => `${year + 1}-${md}`;
  return {
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
}

// A new edition open for filing now, for this test alone (newEdition, openEditionOf).
export async function openEdition(token) {
  return { ...(await newEdition(token, openEditionOf)), is_open: true };
}

// Files an eligible candidature in category as the agent of token, with a dossier, submitted;
// endowmentUse '' leaves the use of a Gold endowment unstated (article 9).
export async function fileCandidature(token, year, category, title, contact, partners = [],
  endowmentUse = 'Former les conseillers.') {
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
      endowment_use: endowmentUse,
      contacts: [{ name: 'Fanny Déposante', email: contact, phone: '05 61 00 00 00' }],
      people: [{ name: 'Anne Martin', role: 'cheffe de projet', publication_withdrawn: false }],
      partner_organisation_ids: partners,
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
