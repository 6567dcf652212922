// A new user signs up, receives the confirmation mail in the sink, confirms, and signs in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoAxeViolations, linkIn, useBrowser, waitForMail } from './lib.mjs';

const visit = useBrowser();

test('sign up, confirm by mail, sign in', async () => {
  const email = `lea.garcia.${process.pid}@example.org`;
  const password = 'une tasse de thé au jardin';
  const { page } = await visit('/inscription');
  await expectNoAxeViolations(page);

  await page.getByLabel('Prénom et nom').fill('Léa Garcia');
  await page.getByLabel('Adresse électronique professionnelle').fill(email);
  await page.getByRole('combobox', { name: 'Organisme' }).fill('Caf de la Haute-Garonne');
  await page.getByLabel('Fonction ou service').fill('Chargée de mission innovation');
  await page.getByLabel('Mot de passe').fill('trop court');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();

  // A mistake: French message next to the field, everything else kept.
  await page.getByText('au moins 12 caractères').first().waitFor();
  assert.equal(await page.getByLabel('Prénom et nom').inputValue(), 'Léa Garcia');
  assert.equal(await page.getByLabel('Adresse électronique professionnelle').inputValue(), email);
  await expectNoAxeViolations(page);

  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
  await expectNoAxeViolations(page);

  const mail = await waitForMail(email, /confirm/i);
  await page.goto(linkIn(mail));
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await page.getByText('Votre adresse est confirmée').waitFor();
  await expectNoAxeViolations(page);

  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Léa Garcia' }).waitFor();
  await expectNoAxeViolations(page);
});
