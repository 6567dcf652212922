// Issue 13's whole flow in a browser, with axe on every page visited: two jurors score a
// category, and the one from a candidate's organisation never sees that candidature; the
// secretariat closes scoring, records three finalists and sends the phase mails, which arrive in
// the SMTP sink; the grand jury awards the prizes, the Gold to a candidature that stated no use of
// the endowment. Until the ceremony instant an anonymous visitor and a candidate see nothing of
// it; at the instant (the app's test clock moved, no request made) the laureates' mails go out
// and the laureates page shows the prizes, without the person who withdrew from publication, and
// the Gold endowment as not attributable.
import assert from 'node:assert/strict';
import { rename, rm, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileCandidature, openEdition } from './gpi-lib.mjs';
import {
  createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser, waitForMail,
} from './lib.mjs';

const visit = useBrowser();

async function api(token, method, path, body, statuses = [200]) {
  const res = await fetch(url(path), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(statuses.includes(res.status), `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Freezes every app process's clock at instant (core/clock.h's test clock), or lets it run again.
async function setClock(instant) {
  const file = process.env.COUSILAB_TEST_CLOCK_FILE;
  assert.ok(file, 'the test stack names its clock file');
  if (!instant) return rm(file, { force: true });
  await writeFile(`${file}.${process.pid}`, `${instant}\n`);
  return rename(`${file}.${process.pid}`, file);
}

// Scores every criterion of candidature id 4 out of 5 and submits, as the juror signed in on page.
async function score(page, year, id) {
  await page.goto(url(`/grand-prix/${year}/candidatures/${id}/grille`));
  await page.getByRole('heading', { level: 1, name: 'Grille de notation' }).waitFor();
  for (const select of await page.getByLabel('Note sur 5').all()) await select.selectOption('4');
  await page.getByRole('button', { name: 'Soumettre la grille' }).click();
  await page.getByText('Grille soumise.').waitFor();
  await expectNoAxeViolations(page);
}

test('juries score, the grand jury awards, the laureates publish themselves at the ceremony', async (t) => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const grand = createUser({ name: 'Thomas Grand-Juré', role: 'grand_juror', organisation: 'cnaf' });
  const filer = createUser({ name: 'Fanny Déposante' }); // caf-31
  const other = createUser({ name: 'Octave Déposant', organisation: 'cpam-31' });
  const juror = createUser({ name: 'Jules Juré', organisation: 'carsat-bretagne' });
  const ownJuror = createUser({ name: 'Nadia Jurée', organisation: 'cpam-31' });
  const secToken = createToken(secretariat.email);
  const edition = await openEdition(secToken);
  const { year } = edition;
  const tag = process.pid;
  const titles = [`Accueil sans dotation ${tag}`, `Tutorat ${tag}`, `Télétravail ${tag}`, `Borne ${tag}`];
  const filerToken = createToken(filer.email);
  const ids = [];
  for (const [i, title] of titles.entries()) {
    const mine = i !== 2;
    ids.push(await fileCandidature(mine ? filerToken : createToken(other.email), year, 'rh', title,
      mine ? filer.email : other.email, [], i === 0 ? '' : 'Former les agents.'));
    await api(secToken, 'POST', `/api/v1/gpi/candidatures/${ids[i]}/admissibility`, { admissible: true });
  }
  // Anne Martin withdraws from the Gold's publication (article 10).
  const gold = await api(secToken, 'GET', `/api/v1/gpi/candidatures/${ids[0]}`);
  await api(secToken, 'POST', `/api/v1/gpi/candidatures/${ids[0]}/withdrawal`,
    { person: gold.people[0].id, withdrawn: true });
  for (const who of [juror, ownJuror]) {
    const me = await api(createToken(who.email), 'GET', '/api/v1/me');
    await api(secToken, 'POST', `/api/v1/gpi/editions/${year}/juries/rh/members`, { user_id: me.id }, [200, 201]);
  }
  const grandMe = await api(createToken(grand.email), 'GET', '/api/v1/me');
  await api(secToken, 'POST', `/api/v1/gpi/editions/${year}/grand-jury/members`, { user_id: grandMe.id }, [200, 201]);

  // Two jurors score; the one of cpam-31 never sees cpam-31's candidature.
  const { page: j1 } = await visit('/');
  await signIn(j1, juror);
  await j1.goto(url(`/grand-prix/${year}/jury`));
  for (const title of titles) await j1.getByText(title).first().waitFor();
  await expectNoAxeViolations(j1);
  for (const id of ids) await score(j1, year, id);
  const { page: j2 } = await visit('/');
  await signIn(j2, ownJuror);
  await j2.goto(url(`/grand-prix/${year}/jury`));
  await j2.getByText(titles[0]).first().waitFor();
  assert.equal(await j2.getByText(titles[2]).count(), 0);
  await expectNoAxeViolations(j2);
  const hidden = await j2.goto(url(`/grand-prix/${year}/candidatures/${ids[2]}`));
  assert.equal(hidden.status(), 404);
  await expectNoAxeViolations(j2);
  for (const id of [ids[0], ids[1], ids[3]]) await score(j2, year, id);

  // The secretariat closes scoring, records three finalists and sends the phase mails.
  const { page: sec } = await visit('/');
  await signIn(sec, secretariat);
  await sec.goto(url(`/grand-prix/${year}/classement/rh/cloture`));
  await expectNoAxeViolations(sec);
  await sec.getByRole('button', { name: 'Clore la notation' }).click();
  await sec.goto(url(`/grand-prix/${year}/classement?categorie=rh`));
  await sec.getByRole('link', { name: titles[0] }).waitFor();
  await expectNoAxeViolations(sec);
  await sec.goto(url(`/grand-prix/${year}/finalistes`));
  for (const i of [0, 1, 3]) await sec.getByLabel(titles[i], { exact: false }).check();
  await sec.getByRole('button', { name: /Enregistrer les finalistes de «\sInnovation RH\s»/ }).click();
  await sec.getByText('Les finalistes sont enregistrés.').waitFor();
  await expectNoAxeViolations(sec);
  await sec.getByRole('button', { name: 'Envoyer les courriels de notification' }).click();
  await sec.getByText('Les courriels de la phase de notification sont partis.').waitFor();
  await expectNoAxeViolations(sec);
  await waitForMail(filer.email, /audition/);
  await waitForMail(other.email, /retenue/);

  // The grand jury: the Gold without a stated use, confirmed after the page says so.
  const { page: gj } = await visit('/');
  await signIn(gj, grand);
  await gj.goto(url(`/grand-prix/${year}/grand-jury`));
  await gj.getByText(/Dotation non attribuable/).first().waitFor();
  await expectNoAxeViolations(gj);
  await gj.getByLabel('Or', { exact: true }).selectOption({ label: titles[0] });
  await gj.getByLabel('Argent', { exact: true }).selectOption({ label: titles[1] });
  await gj.getByLabel('Bronze', { exact: true }).selectOption({ label: titles[3] });
  await gj.getByRole('button', { name: /Enregistrer les prix de «\sInnovation RH\s»/ }).click();
  await gj.getByRole('button', { name: 'Confirmer les prix' }).click();
  await gj.getByText('Les prix de la catégorie sont enregistrés.').waitFor();
  await expectNoAxeViolations(gj);

  // Before the ceremony instant: nothing for an anonymous visitor nor a candidate.
  const { page: anon } = await visit(`/grand-prix/${year}/palmares`);
  await anon.getByText(/Le palmarès sera publié lors de la cérémonie/).waitFor();
  for (const title of titles) assert.equal(await anon.getByText(title).count(), 0);
  await expectNoAxeViolations(anon);
  const { page: cand } = await visit('/');
  await signIn(cand, filer);
  await cand.goto(url(`/grand-prix/${year}/candidatures/${ids[0]}`));
  await cand.getByText('Finaliste').first().waitFor();
  for (const word of [/non attribuable/, /lauréat/i, /Argent|Bronze/])
    assert.equal(await cand.getByText(word).count(), 0);
  await expectNoAxeViolations(cand);
  await cand.goto(url(`/grand-prix/${year}/palmares`));
  assert.equal(await cand.getByText(titles[0]).count(), 0);
  const early = await api(filerToken, 'GET', `/api/v1/gpi/editions/${year}/laureates`);
  assert.deepEqual(early, { published: false, items: [] });

  // The ceremony instant: nobody asks anything, the laureates' mails go out.
  t.after(() => setClock(null));
  await setClock(`${year + 1}-10-03T22:00:00Z`);
  await waitForMail(filer.email, /palmares/, 15000);
  const { page: after } = await visit(`/grand-prix/${year}/palmares`);
  const goldItem = after.locator('li', { hasText: titles[0] });
  await goldItem.getByText(/Dotation non attribuable/).waitFor();
  assert.equal(await goldItem.getByText('Anne Martin').count(), 0);
  await after.locator('li', { hasText: titles[1] }).getByText(/Anne Martin/).waitFor();
  await after.getByText(titles[3]).waitFor();
  assert.equal(await after.getByText(titles[2]).count(), 0);
  await expectNoAxeViolations(after);
  await after.goto(url('/grand-prix/palmares'));
  await after.getByText(new RegExp(titles[0])).first().waitFor();
  await expectNoAxeViolations(after);
});
