// A user signs in, changes their password, downloads their data and signs out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

test('sign in, change password, download my data, sign out', async () => {
  const user = createUser({ name: 'Hugo Roux' });
  const { page } = await visit('/connexion');
  await expectNoAxeViolations(page);
  await signIn(page, user);
  await expectNoAxeViolations(page);

  await page.goto(url('/compte'));
  await page.getByRole('heading', { name: 'Mon compte', level: 1 }).waitFor();
  await expectNoAxeViolations(page);

  const newPassword = 'trois petits chats dans la neige';
  await page.getByLabel('Mot de passe actuel').fill(user.password);
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirmez le nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await page.getByText('Votre mot de passe est changé').first().waitFor();
  await expectNoAxeViolations(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger mes données' }).click(),
  ]);
  const data = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.match(JSON.stringify(data), new RegExp(user.email.replace(/\./g, '\\.')));
  assert.doesNotMatch(JSON.stringify(data), /password_hash|argon2/);

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByText('Vous êtes déconnecté').waitFor();
  await expectNoAxeViolations(page);

  // The old password no longer works; the new one does.
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Adresse électronique ou mot de passe incorrect.').first().waitFor();
  await signIn(page, { email: user.email, password: newPassword });
});
