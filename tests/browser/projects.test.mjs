// Project tracking end to end, as issue 11's "Done when" tells it: a team member describes a
// project, adds an indicator with two measurements and proposes moving to "Prototype", then to
// "Expérimentation"; the coordinator accepts both from the project page and sees the card on
// the board; a jump straight to "Déploiement dans l’Institution" is refused; the team
// publishes the project as a practice, which the coordinator publishes in cousiSTORE, and the
// project shows it. axe runs on every page visited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

test('a project from idea to practice, through proposals the coordinator accepts', async () => {
  const run = `${process.pid}${Date.now() % 100000}`;
  const title = `Binôme d’accueil des nouveaux arrivants ${run}`;
  const member = createUser({ name: 'Inès Garnier', organisation: 'caf-31' });
  const coordinator = createUser({ name: 'Paul Renard', role: 'coordinator', organisation: 'ucanss' });

  // The team member describes the project.
  const { page } = await visit('/connexion');
  await expectNoAxeViolations(page);
  await signIn(page, member);
  await page.goto(url('/projets/nouveau'));
  await expectNoAxeViolations(page);
  await page.locator('#title').fill(title);
  await page.locator('#summary').fill('Chaque nouvel arrivant a un binôme pendant ses trois premières semaines.');
  await page.locator('#problem').fill('Les nouveaux salariés se sentent seuls les premiers jours.');
  await page.locator('#solution').fill('Un binôme volontaire et un **parcours d’accueil** d’une semaine.');
  await page.locator('#theme-recrutement-integration').check();
  await page.locator('#started_on').fill('2026-02-02');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await expectNoAxeViolations(page);
  const projectUrl = page.url();

  // An indicator, then two measurements.
  await page.locator('#indicator-name').fill('Nouveaux arrivants accompagnés');
  await page.locator('#indicator-unit').fill('%');
  await page.locator('#indicator-baseline').fill('20');
  await page.locator('#indicator-target').fill('90');
  await page.getByRole('button', { name: 'Ajouter l’indicateur' }).click();
  await page.getByRole('heading', { name: /Nouveaux arrivants accompagnés/ }).waitFor();
  for (const [date, value] of [['2026-03-01', '45'], ['2026-04-01', '62,5']]) {
    const form = page.locator('form[action*="/mesures"]').first();
    await form.locator('input[name="date"]').fill(date);
    await form.locator('input[name="value"]').fill(value);
    await form.getByRole('button', { name: /Ajouter la mesure/ }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  }
  await page.locator('svg[role="img"]').first().waitFor();
  await expectNoAxeViolations(page);

  // The coordinator's side, in a context of their own.
  const { page: coord } = await visit('/connexion');
  await signIn(coord, coordinator);

  // Two proposals, one stage at a time, each accepted.
  for (const [stage, label] of [['prototype', 'Prototype'], ['experimentation', 'Expérimentation']]) {
    await page.goto(projectUrl);
    await page.locator('#proposal-stage').selectOption(stage);
    await page.locator('#proposal-note').fill(`Prêts pour l’étape « ${label} ».`);
    await page.getByRole('button', { name: 'Proposer' }).click();
    await page.getByText(/propose de passer à l’étape/).first().waitFor();
    await expectNoAxeViolations(page);

    await coord.goto(projectUrl);
    await expectNoAxeViolations(coord);
    await coord.getByRole('button', { name: 'Accepter' }).first().click();
    await coord.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.goto(projectUrl);
    assert.match(await page.locator('#etape').locator('..').innerText(), new RegExp(label));
  }

  // A jump straight to the whole institution is refused, and the page says why.
  await page.locator('#proposal-stage').selectOption('deploiement-institution');
  await page.locator('#proposal-note').fill('Tout de suite partout !');
  await page.getByRole('button', { name: 'Proposer' }).click();
  await page.locator('.field-error').first().waitFor();
  assert.match(await page.locator('.field-error').first().innerText(), /étape/);
  await expectNoAxeViolations(page);

  // The board shows the project in its column.
  await coord.goto(url('/projets/tableau'));
  await expectNoAxeViolations(coord);
  await coord.goto(url('/projets/tableau?suivi=moi'));
  await expectNoAxeViolations(coord);
  // The funnel of the latest Défi edition projects come from.
  await coord.goto(url('/projets/entonnoir'));
  await coord.getByRole('heading', { name: /Entonnoir du Défi du Lab/, level: 1 }).waitFor();
  await expectNoAxeViolations(coord);

  // The team publishes the project as a practice: a draft pre-filled from the project.
  await page.goto(projectUrl);
  await page.getByRole('button', { name: 'Publier comme bonne pratique' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  assert.match(page.url(), /\/pratiques\//);
  await page.getByRole('link', { name: title }).first().waitFor(); // "Issue du projet ..."
  await expectNoAxeViolations(page);
  const practiceUrl = page.url();
  await page.getByRole('button', { name: 'Soumettre à la coordination' }).click();
  await page.getByText(/Soumise|soumise/).first().waitFor();

  // The coordinator publishes it in cousiSTORE.
  await coord.goto(practiceUrl);
  await expectNoAxeViolations(coord);
  await coord.getByRole('button', { name: 'Publier' }).click();
  await coord.getByRole('heading', { name: title, level: 1 }).waitFor();

  // The project shows its published practice.
  await page.goto(projectUrl);
  const section = page.locator('#pratique');
  await section.getByRole('link', { name: title }).waitFor();
  assert.match(await section.innerText(), /Publiée/);
  await expectNoAxeViolations(page);
});
