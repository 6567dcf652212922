// The Grand Prix's finalists and prizes in a browser: the secretariat records the finalists of a
// category (a wrong count refused first), sends the phase mails, which arrive in the SMTP sink;
// the grand jury awards Or, Argent and Bronze, the Gold to a candidature that stated no use of
// the endowment, confirmed after the page says it is not attributable. Every page visited
// passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileCandidature, openEdition } from './gpi-lib.mjs';
import {
  createToken, createUser, expectNoAxeViolations, signIn, url, useBrowser, waitForMail,
} from './lib.mjs';

const visit = useBrowser();

// Files an eligible candidature in category rh as the agent of token and has the secretariat
// (secToken) declare it recevable. Returns its id.
async function fileRecevable(token, secToken, year, title, contact, endowmentUse) {
  const id = await fileCandidature(token, year, 'rh', title, contact, [], endowmentUse);
  const ok = await fetch(url(`/api/v1/gpi/candidatures/${id}/admissibility`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${secToken}`, 'Content-Type': 'application/json' },
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
  const invitation = await waitForMail(filer.email, /audition/);
  assert.match(invitation, /cérémonie/);
  await waitForMail(filer.email, /retenue/);

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
  await jury.getByRole('heading', { level: 1, name: /Attribuer l’or sans dotation/ }).waitFor();
  await jury.getByText(/non attribuable/).waitFor();
  await expectNoAxeViolations(jury);
  await jury.getByRole('button', { name: 'Confirmer les prix' }).click();
  await jury.getByText('Les prix de la catégorie sont enregistrés.').waitFor();
  await expectNoAxeViolations(jury);
});
