// A juror's grid and the secretariat's ranking in a browser: a juror of a category opens the
// grid of an admissible candidature, submits it incomplete (refused, beside the field), then
// complete (locked); the secretariat finds it ranked, opens the candidature's grids with the
// reopening form, and the confirmation before closing the category's scoring (left open: other
// tests share the edition). Every page visited passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileCandidature, openEdition } from './gpi-lib.mjs';
import { createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

// Calls the API as the holder of token; returns the parsed answer after checking its status.
async function api(token, method, path, body, status = 200) {
  const res = await fetch(url(path), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text);
}

test('a juror scores alone, the secretariat ranks', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const filer = createUser({ name: 'Fanny Déposante' });
  const juror = createUser({ name: 'Jules Juré', organisation: 'cpam-69' });
  const secToken = createToken(secretariat.email);
  const edition = await openEdition(secToken);
  const category = edition.categories[1];
  const title = `Guichet unique ${process.pid}`;
  const id = await fileCandidature(createToken(filer.email), edition.year, category.code, title, filer.email);
  await api(secToken, 'POST', `/api/v1/gpi/candidatures/${id}/admissibility`, { admissible: true });
  const me = await api(createToken(juror.email), 'GET', '/api/v1/me');
  const appointed = await fetch(url(`/api/v1/gpi/editions/${edition.year}/juries/${category.code}/members`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${secToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_id: me.id }),
  });
  assert.ok([200, 201].includes(appointed.status), await appointed.text());

  const { page } = await visit('/');
  await signIn(page, juror);
  await page.goto(url(`/grand-prix/${edition.year}/candidatures/${id}/grille`));
  await page.getByRole('heading', { level: 1, name: 'Grille de notation' }).waitFor();
  await expectNoAxeViolations(page);

  // Submitted without a score: refused, the comment kept.
  // One score and one comment per criterion of the edition (one, or article 4's seven).
  const comment = page.getByLabel('Commentaire').first();
  await comment.fill('Des objectifs nets, chiffrés.');
  await page.getByRole('button', { name: 'Soumettre la grille' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  await page.getByText('Notez ce critère avant de soumettre la grille.').first().waitFor();
  assert.equal(await comment.inputValue(), 'Des objectifs nets, chiffrés.');
  await expectNoAxeViolations(page);

  for (const score of await page.getByLabel('Note sur 5').all()) await score.selectOption('4');
  await page.getByRole('button', { name: 'Soumettre la grille' }).click();
  await page.getByText('Grille soumise.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Soumettre la grille' }).count(), 0);
  await expectNoAxeViolations(page);

  // The ranking is the secretariat's until the close.
  const early = await fetch(url(`/api/v1/gpi/editions/${edition.year}/ranking?category=${category.code}`), {
    headers: { Authorization: `Bearer ${createToken(juror.email)}` },
  });
  assert.equal(early.status, 403);

  const sec = (await visit('/')).page;
  await signIn(sec, secretariat);
  await sec.goto(url(`/grand-prix/${edition.year}/classement?categorie=${category.code}`));
  await sec.getByRole('heading', { level: 1, name: new RegExp(`^Classement\\s:\\s${category.name}$`) }).waitFor();
  await expectNoAxeViolations(sec);
  await sec.getByRole('link', { name: title }).click();
  await sec.getByRole('heading', { level: 1, name: new RegExp(`^Grilles\\s:\\s${title}$`) }).waitFor();
  await sec.getByRole('button', { name: `Rouvrir la grille de ${juror.name}` }).waitFor();
  await expectNoAxeViolations(sec);
  await sec.goto(url(`/grand-prix/${edition.year}/classement/${category.code}/cloture`));
  await sec.getByRole('button', { name: 'Clore la notation' }).waitFor();
  await expectNoAxeViolations(sec);
});
