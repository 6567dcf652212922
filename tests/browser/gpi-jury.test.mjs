// The Grand Prix juries in a browser: the secretariat appoints two jurors of a category on the
// juries page, one of them from the filing organisation, and sees that conflict; the other
// juror finds the admissible candidature on their page, tries an empty conflict declaration
// (refused beside the field) and declares one, after which it is gone; the juror from the
// filing organisation never sees it (404). Every page visited passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileCandidature, openEdition } from './gpi-lib.mjs';
import {
  createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser,
} from './lib.mjs';

const visit = useBrowser();

test('jurors are appointed, see their candidatures and are recused', async () => {
  const secretariat = createUser({ name: 'Sophie Secrétariat', role: 'secretariat', organisation: 'ucanss' });
  const filer = createUser({ name: 'Fanny Déposante' });
  const juror = createUser({ name: 'Nadia Jurée', organisation: 'carsat-bretagne' });
  const own = createUser({ name: 'Octave Organisme', organisation: 'caf-31' });
  const secToken = createToken(secretariat.email);
  const edition = await openEdition(secToken);
  const category = edition.categories[0].code;
  const title = `Mentorat inversé ${process.pid}`;
  const id = await fileCandidature(createToken(filer.email), edition.year, category, title, filer.email);
  const decided = await fetch(url(`/api/v1/gpi/candidatures/${id}/admissibility`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${secToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ admissible: true }),
  });
  assert.equal(decided.status, 200, await decided.text());

  const { page } = await visit('/');
  await signIn(page, secretariat);
  await page.goto(url(`/grand-prix/${edition.year}/jurys`));
  await page.getByRole('heading', { level: 1, name: 'Jurys' }).waitFor();
  await expectNoAxeViolations(page);
  for (const who of [juror, own]) {
    await page.locator(`#email-${category}`).fill(who.email);
    await page.locator(`#jury-${category}`).getByRole('button', { name: 'Nommer' }).click();
    await page.getByText('Le juré ou la jurée est nommé·e.').waitFor();
  }
  // The organisation picker lists an organisation's agents, each to appoint.
  await page.goto(url(`/grand-prix/${edition.year}/jurys?organisme=carsat-bretagne`));
  await page.getByRole('table', { name: /Agents de / }).getByText(juror.name).first().waitFor();
  await expectNoAxeViolations(page);
  await page.goto(url(`/grand-prix/${edition.year}/jurys`));
  const row = page.locator(`#jury-${category} tr`, { hasText: own.email });
  assert.match(await row.innerText(), new RegExp(`${title}\\s*:\\s*son organisation`));
  await expectNoAxeViolations(page);

  const { page: jp } = await visit('/');
  await signIn(jp, juror);
  await jp.goto(url(`/grand-prix/${edition.year}/jury`));
  await jp.getByRole('heading', { level: 1, name: 'Mes candidatures à noter' }).waitFor();
  await jp.getByRole('link', { name: title, exact: true }).waitFor();
  await expectNoAxeViolations(jp);
  await jp.getByRole('link', { name: `Déclarer un conflit sur ${title}` }).click();
  await jp.getByRole('heading', { level: 1, name: 'Déclarer un conflit d’intérêts' }).waitFor();
  await expectNoAxeViolations(jp);
  await jp.getByRole('button', { name: 'Déclarer le conflit' }).click();
  await jp.getByText('Indiquez le motif du conflit d’intérêts.').first().waitFor();
  await expectNoAxeViolations(jp);
  await jp.getByLabel('Motif du conflit d’intérêts').fill('J’ai encadré la cheffe de projet.');
  await jp.getByRole('button', { name: 'Déclarer le conflit' }).click();
  await jp.getByText('Votre conflit d’intérêts est enregistré').waitFor();
  assert.equal(await jp.getByRole('link', { name: title, exact: true }).count(), 0);
  await expectNoAxeViolations(jp);
  // Each count of their progress filters the list by it, and says which is shown.
  const progress = jp.getByRole('navigation', { name: 'Votre avancement' });
  await progress.getByRole('link', { name: /à noter$/ }).click();
  await jp.waitForURL(/etat=a-faire/);
  assert.equal(
    await progress.getByRole('link', { name: /à noter$/ }).getAttribute('aria-current'), 'page');
  await expectNoAxeViolations(jp);

  const { page: op } = await visit('/');
  await signIn(op, own);
  await op.goto(url(`/grand-prix/${edition.year}/jury`));
  await op.getByRole('heading', { level: 1, name: 'Mes candidatures à noter' }).waitFor();
  assert.equal(await op.getByRole('link', { name: title, exact: true }).count(), 0);
  await expectNoAxeViolations(op);
  const hidden = await op.goto(url(`/grand-prix/${edition.year}/candidatures/${id}`));
  assert.equal(hidden.status(), 404);

  // The secretariat reads the declared reason.
  await page.goto(url(`/grand-prix/${edition.year}/jurys`));
  const declared = page.locator(`#jury-${category} tr`, { hasText: juror.email });
  assert.match(await declared.innerText(), /conflit déclaré — «\s?J’ai encadré la cheffe de projet\.\s?»/);
});
