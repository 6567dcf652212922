// A member of staff declares a project, corrects the form, adds an
// indicator with two measurements, posts news and proposes the next stage;
// a coordinator accepts it and refuses a jump. Every page passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

test('declare a project, measure it, propose a move, the coordinator decides', async () => {
  const porteur = createUser({ name: 'Léa Fontaine', organisation: 'cpam-31' });
  const coordinator = createUser({ name: 'Marc Delorme', role: 'coordinator' });
  const { page } = await visit('/connexion');
  await signIn(page, porteur);

  await page.goto(url('/projets'));
  await page.getByRole('heading', { name: 'Projets du Lab', level: 1 }).waitFor();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: 'Déclarer un projet' }).click();
  await page.getByRole('heading', { name: 'Nouveau projet', level: 1 }).waitFor();
  await expectNoAxeViolations(page);
  // A form sent without a title comes back with the error, the rest kept.
  await page.getByLabel('Résumé').fill('Un guichet unique pour les nouveaux arrivants.');
  await page.getByLabel('Date de début').fill('2024-09-02');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Le formulaire contient des erreurs' }).waitFor();
  await expectNoAxeViolations(page);
  assert.equal(await page.getByLabel('Résumé').inputValue(),
               'Un guichet unique pour les nouveaux arrivants.');
  const title = `Guichet des nouveaux arrivants ${Date.now()}`;
  await page.getByLabel('Titre', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await expectNoAxeViolations(page);
  const projectUrl = page.url();

  await page.getByLabel('Nom', { exact: true }).fill('Délai de prise de poste');
  await page.getByLabel(/^Unité/).fill('jours');
  await page.getByLabel('Cible', { exact: true }).fill('5');
  await page.getByLabel('Une baisse').check();
  await page.getByRole('button', { name: 'Ajouter l’indicateur' }).click();
  await page.getByRole('heading', { name: 'Délai de prise de poste (jours)' }).waitFor();
  for (const [date, value] of [['2024-10-01', '12'], ['2024-11-01', '8,5']]) {
    await page.getByLabel('Date de la mesure').fill(date);
    await page.getByLabel('Valeur', { exact: true }).fill(value);
    await page.getByRole('button', { name: /Ajouter la mesure/ }).click();
    await page.getByRole('cell', { name: value }).waitFor();
  }
  await page.getByRole('img', { name: 'Délai de prise de poste' }).waitFor();
  await expectNoAxeViolations(page);

  await page.locator('#journal-title').fill('Premier mois');
  await page.getByLabel('Texte').fill('Les **premiers** arrivants sont accueillis.');
  await page.getByRole('button', { name: 'Publier la nouvelle' }).click();
  await page.getByRole('heading', { name: 'Premier mois' }).waitFor();

  // A jump is refused next to its field, the note kept.
  await page.getByLabel('Nouvelle étape').selectOption('deploiement-institution');
  await page.getByLabel('Note', { exact: true }).fill('Tout de suite partout');
  await page.getByRole('button', { name: 'Proposer', exact: true }).click();
  await page.getByText('Un projet avance d’une étape à la fois').first().waitFor();
  await expectNoAxeViolations(page);
  await page.getByLabel('Nouvelle étape').selectOption('prototype');
  await page.getByLabel('Note', { exact: true }).fill('Une maquette est prête.');
  await page.getByRole('button', { name: 'Proposer', exact: true }).click();
  await page.getByText('propose de passer à l’étape «\u202fPrototype\u202f»').waitFor();

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.goto(url('/connexion'));
  await signIn(page, coordinator);
  await page.goto(projectUrl);
  await page.getByRole('button', { name: 'Suivre ce projet' }).click();
  await page.getByText(`Suivi par\u202f: ${coordinator.name}`).waitFor();
  await page.getByRole('button', { name: 'Accepter', exact: true }).click();
  await page.locator('.project-step--current', { hasText: 'Prototype' }).waitFor();
  await expectNoAxeViolations(page);
});
