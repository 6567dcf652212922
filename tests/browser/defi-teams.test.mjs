// The Défi du Lab's "Done when": a captain builds a team of six colleagues of one organisation
// (one of whom signs up through the invitation mail), a first submission with five is refused
// naming the missing count, a colleague of another organisation is refused, the sixth accepts,
// the submission goes through, a coordinator marks the team "retenue" and the captain's mail
// arrives in the SMTP sink; the coordinator then turns the team into a project (issue 11), and
// the team and the project link to each other. axe finds nothing on any page visited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createToken, createUser, expectNoAxeViolations, linkIn, newYearlyEdition, signIn, url, useBrowser,
  waitForMail,
} from './lib.mjs';

const visit = useBrowser();

// Creates, as the coordinator, an edition open from yesterday for two months, in a free year
// (newYearlyEdition); returns its year.
async function openEdition(token) {
  const day = 24 * 3600 * 1000;
  const at = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const edition = await newYearlyEdition(token, '/api/v1/defi/editions', (year) => ({
    year, title: `Défi du Lab ${year}`, theme: 'mieux attirer, recruter et fidéliser',
    description: 'Deux jours à Paris.', event_start: `${year}-06-26`, event_end: `${year}-06-27`,
    location: 'Paris', min_team_size: 6,
    signup_opens_at: at(Date.now() - day), signup_closes_at: at(Date.now() + 60 * day),
  }));
  return edition.year;
}

// Signs person in within a fresh context and opens path; checks axe when asked.
async function as(person, path, { axe = false } = {}) {
  const { page } = await visit('/connexion');
  await signIn(page, person);
  await page.goto(url(path));
  if (axe) await expectNoAxeViolations(page);
  return page;
}

test('a team of six colleagues applies and is selected', async () => {
  const coordinator = createUser({ name: 'Julien Coordinateur', role: 'coordinator', organisation: 'ucanss' });
  const year = await openEdition(createToken(coordinator.email));
  const captain = createUser({ name: 'Camille Capitaine' });
  const colleagues = ['Agnès Un', 'Bruno Deux', 'Chloé Trois', 'Driss Quatre'].map((name) => createUser({ name }));
  const outsider = createUser({ name: 'Paul Ailleurs', organisation: 'cpam-31' });
  const newcomer = { name: 'Nina Nouvelle', email: `nina.nouvelle.${process.pid}.${Date.now()}@example.org`, password: 'une nouvelle venue au Lab' };

  // The captain creates the team from the edition's page.
  const cap = await as(captain, `/defi/${year}`, { axe: true });
  await cap.getByRole('link', { name: 'Constituer une équipe' }).click();
  await cap.getByRole('heading', { name: 'Créer une équipe' }).waitFor();
  await expectNoAxeViolations(cap);
  await cap.getByLabel('Nom de l’équipe').fill('Les Fidèles');
  await cap.getByLabel('Votre idée').fill('Un parrainage des nouveaux arrivants,\npar des volontaires.');
  await cap.getByLabel(/En quoi elle répond au thème/).fill('Fidéliser dès l’arrivée.');
  await cap.getByRole('button', { name: 'Enregistrer' }).click();
  await cap.getByRole('heading', { name: 'Les Fidèles' }).waitFor();
  await expectNoAxeViolations(cap);
  const teamPath = new URL(cap.url()).pathname;

  // Six invitations: four colleagues with an account, one without, one of another organisation.
  for (const person of [...colleagues, newcomer, outsider]) {
    await cap.getByLabel('Adresse électronique professionnelle').fill(person.email);
    await cap.getByRole('button', { name: 'Inviter' }).click();
    await cap.getByText('L’invitation est envoyée par courriel.').waitFor();
  }
  await expectNoAxeViolations(cap);

  for (const [i, person] of colleagues.entries()) {
    const page = await as(person, teamPath, { axe: i === 0 });
    await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
    await page.getByText('Vous faites partie de l’équipe.').waitFor();
    if (i === 0) await expectNoAxeViolations(page);
  }

  // Five confirmed: the submission is refused, naming what is missing.
  await cap.goto(url(teamPath));
  await cap.getByRole('button', { name: 'Déposer la candidature' }).click();
  await cap.getByText('Il manque 1 membre confirmé').first().waitFor();
  assert.match(await cap.title(), /^Erreur/);
  await expectNoAxeViolations(cap);

  // The colleague of another organisation is refused, both organisations named.
  const out = await as(outsider, '/mon-defi', { axe: true });
  await out.getByRole('link', { name: 'Les Fidèles' }).click();
  await expectNoAxeViolations(out);
  await out.getByRole('button', { name: 'Accepter l’invitation' }).click();
  const refusal = out.getByText(/réunit des agents de Caf de la Haute-Garonne, et votre compte est rattaché à CPAM de la Haute-Garonne/).first();
  await refusal.waitFor();
  await expectNoAxeViolations(out);

  // The sixth signs up through the invitation mail, then accepts.
  const invitation = await waitForMail(newcomer.email, /Créez-le avec cette adresse/);
  const { page: nina } = await visit(new URL(linkIn(invitation)).pathname + new URL(linkIn(invitation)).search);
  assert.equal(await nina.getByLabel('Adresse électronique professionnelle').inputValue(), newcomer.email);
  await expectNoAxeViolations(nina);
  await nina.getByLabel('Prénom et nom').fill(newcomer.name);
  await nina.getByRole('combobox', { name: 'Organisme' }).fill('Caf de la Haute-Garonne');
  await nina.getByLabel('Fonction ou service').fill('Gestionnaire conseil');
  await nina.getByLabel('Mot de passe').fill(newcomer.password);
  await nina.getByRole('button', { name: 'Créer mon compte' }).click();
  await nina.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
  await nina.goto(linkIn(await waitForMail(newcomer.email, /confirm/i)));
  await nina.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await nina.getByText('Votre adresse est confirmée').waitFor();
  await signIn(nina, newcomer);
  await nina.getByRole('link', { name: 'Mon Défi' }).click();
  await expectNoAxeViolations(nina);
  await nina.getByRole('link', { name: 'Les Fidèles' }).click();
  await nina.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await nina.getByText('Vous faites partie de l’équipe.').waitFor();

  // Six confirmed: the submission goes through.
  await cap.goto(url(teamPath));
  await cap.getByRole('button', { name: 'Déposer la candidature' }).click();
  await cap.getByText('La candidature de l’équipe est déposée').waitFor();
  await expectNoAxeViolations(cap);

  // A coordinator selects the team; the captain's mail arrives.
  const coord = await as(coordinator, teamPath, { axe: true });
  await coord.getByLabel('Retenue', { exact: true }).check();
  await coord.getByLabel('Message à l’équipe').fill('Bravo ! Rendez-vous à Paris les 26 et 27 juin.');
  await coord.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await coord.getByText('La décision est enregistrée').waitFor();
  await expectNoAxeViolations(coord);
  const mail = await waitForMail(captain.email, /Décision\u202f: Retenue/);
  assert.match(mail, /Rendez-vous à Paris/);

  // The coordinator turns the retained team into a project, linked both ways.
  await coord.getByRole('button', { name: 'Transformer en projet' }).click();
  await coord.getByRole('heading', { name: 'Les Fidèles', level: 1 }).waitFor();
  assert.match(new URL(coord.url()).pathname, /^\/projets\//);
  const projectPath = new URL(coord.url()).pathname;
  assert.match(await coord.locator('main').innerText(), /Un parrainage des nouveaux arrivants/);
  await expectNoAxeViolations(coord);
  await coord.getByRole('link', { name: 'l’équipe d’origine' }).click();
  await coord.getByRole('link', { name: 'Voir le projet issu de cette équipe' }).waitFor();
  assert.equal(await coord.getByRole('button', { name: 'Transformer en projet' }).count(), 0);
  await expectNoAxeViolations(coord);
  await coord.getByRole('link', { name: 'Voir le projet issu de cette équipe' }).click();
  assert.equal(new URL(coord.url()).pathname, projectPath);
});
