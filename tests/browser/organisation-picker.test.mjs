// The organisation picker, with JavaScript (an ARIA combobox with chips) and without (a text
// field whose typed names the server resolves), and the error pattern of every form: focus on
// the error summary, a title starting with "Erreur", the summary in the form's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

// Fills the practice form's required fields but the organisations.
async function fillPractice(page, title) {
  await page.locator('#title').fill(title);
  await page.locator('#summary').fill('Un accueil commun des assurés dans les deux caisses.');
  await page.locator('#problem').fill('Les assurés faisaient deux fois la queue.');
  await page.locator('#description').fill('Un guichet partagé, un agent de chaque caisse.');
  await page.locator('#theme-relation-usagers').check();
  await page.locator('#maturity-experimentee').check();
}

// axe runs as a script, which a page without JavaScript cannot run: the page as that visitor
// got it (its scripts removed) is checked in a second page, on the same address.
async function expectNoAxeViolationsWithoutScript(page) {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
  const context = await page.context().browser().newContext({ locale: 'fr-FR' });
  try {
    const checker = await context.newPage();
    await checker.goto(page.url());
    await checker.setContent(html);
    await expectNoAxeViolations(checker);
  } finally {
    await context.close();
  }
}

// Returns whether the focused element is the error summary. A selector, not page.evaluate:
// it also works where JavaScript is disabled.
async function summaryFocused(page) {
  return (await page.locator('[data-error-summary]:focus').count()) === 1;
}

test('with JavaScript: type, move with the arrows, choose with Enter, remove a chip, submit', async () => {
  const author = createUser({ name: 'Inès Fabre', organisation: 'caf-31' });
  const { page } = await visit('/connexion');
  await signIn(page, author);
  await page.goto(url('/pratiques/nouvelle'));

  const box = page.getByRole('combobox', { name: 'Organismes porteurs' });
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  await box.pressSequentially('ain');
  const listbox = page.getByRole('listbox');
  await listbox.waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await box.getAttribute('aria-controls'), await listbox.getAttribute('id'));
  // French order: "Caf" before "CPAM" before "MSA", whatever the case.
  assert.deepEqual(await listbox.getByRole('option').allTextContents(),
    ["Caf de l'Ain", "CPAM de l'Ain", 'MSA Ain-Rhône']);

  await box.press('ArrowDown');
  await box.press('ArrowDown');
  const active = listbox.getByRole('option', { name: "CPAM de l'Ain" });
  assert.equal(await box.getAttribute('aria-activedescendant'), await active.getAttribute('id'));
  assert.equal(await active.getAttribute('aria-selected'), 'true');
  await expectNoAxeViolations(page);

  await box.press('Enter');
  await page.getByRole('button', { name: "Retirer CPAM de l'Ain" }).waitFor();
  assert.equal(await box.inputValue(), '');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);

  // Escape closes the suggestions, then clears the field.
  await box.pressSequentially('vaucl');
  await listbox.getByRole('option', { name: 'Caf de Vaucluse' }).waitFor();
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  await box.press('Escape');
  assert.equal(await box.inputValue(), '');

  // The author's own organisation, chosen in advance, is removed.
  await page.getByRole('button', { name: 'Retirer Caf de la Haute-Garonne' }).click();
  assert.equal(await page.getByRole('button', { name: 'Retirer Caf de la Haute-Garonne' }).count(), 0);
  assert.ok(await box.evaluate((el) => el === document.activeElement), 'focus back in the field');
  await expectNoAxeViolations(page);

  const title = `Guichet partagé ${process.pid}${Date.now() % 100000}`;
  await fillPractice(page, title);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  const main = page.locator('main');
  assert.ok(await main.getByText("CPAM de l'Ain").count() >= 1, 'the chosen organisation owns it');
  assert.equal(await main.getByText('Caf de la Haute-Garonne').count(), 0, 'the removed one does not');
});

test('without JavaScript: a typed name is resolved, an unknown one explained next to the field', async () => {
  const { page } = await visit('/inscription', { javaScriptEnabled: false });
  const field = page.getByRole('combobox', { name: 'Organisme' });
  await page.getByLabel('Prénom et nom').fill('Rémi Caron');
  await page.getByLabel('Adresse électronique professionnelle').fill(`remi.caron.${process.pid}@example.org`);
  await field.fill('cpam de l’ain');
  await page.getByLabel('Fonction ou service').fill('Conseiller');
  await page.getByLabel('Mot de passe').fill('trop court');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();

  // Resolved: the field shows the organisation's name as written; only the password is wrong.
  await page.getByText('au moins 12 caractères').first().waitFor();
  assert.equal(await field.inputValue(), "CPAM de l'Ain");
  assert.equal(await page.locator('#organisation-error').count(), 0);
  assert.match(await page.title(), /^Erreur\s:\sCréer un compte/);
  assert.ok(await summaryFocused(page), 'autofocus puts the focus on the error summary');
  await expectNoAxeViolationsWithoutScript(page);

  // Unknown: a French message next to the field, the text kept.
  await field.fill('Caisse des Lilas');
  await page.getByLabel('Mot de passe').fill('une tasse de thé au jardin');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  const error = page.locator('#organisation-error');
  await error.waitFor();
  assert.match(await error.textContent(), /Aucun organisme ne correspond à «\s?Caisse des Lilas\s?»/);
  assert.equal(await field.inputValue(), 'Caisse des Lilas');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.match(await field.getAttribute('aria-describedby'), /organisation-error/);
  await expectNoAxeViolationsWithoutScript(page);

  // Ambiguous: the candidates are named.
  await field.fill('Vaucluse');
  await page.getByLabel('Mot de passe').fill('une tasse de thé au jardin');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByText(/Plusieurs organismes correspondent/).first().waitFor();
  assert.match(await error.textContent(), /Caf de Vaucluse, CPAM de Vaucluse, MSA Alpes-Vaucluse/);

  await field.fill("CPAM de l'Ain");
  await page.getByLabel('Mot de passe').fill('une tasse de thé au jardin');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
});

test('without JavaScript: several names at once become chips, a box unticked removes one', async () => {
  const author = createUser({ name: 'Lina Morel', organisation: 'caf-31' });
  const { page } = await visit('/connexion', { javaScriptEnabled: false });
  await signIn(page, author);
  await page.goto(url('/pratiques/nouvelle'));
  await page.getByRole('combobox', { name: 'Organismes porteurs' }).fill("cpam de l'ain; Caf de Vaucluse");
  await page.getByRole('button', { name: 'Enregistrer' }).click();

  // The title is missing: the form comes back with the three organisations ticked.
  await page.locator('#title-error').waitFor();
  for (const name of ['Caf de la Haute-Garonne', "CPAM de l'Ain", 'Caf de Vaucluse']) {
    assert.ok(await page.getByRole('checkbox', { name }).isChecked(), `${name} chosen`);
  }
  assert.equal(await page.getByRole('combobox', { name: 'Organismes porteurs' }).inputValue(), '');
  await expectNoAxeViolationsWithoutScript(page);

  await page.getByRole('checkbox', { name: 'Caf de la Haute-Garonne' }).uncheck();
  const title = `Accueil commun ${process.pid}${Date.now() % 100000}`;
  await fillPractice(page, title);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  const main = page.locator('main');
  assert.ok(await main.getByText('Caf de Vaucluse').count() >= 1);
  assert.ok(await main.getByText("CPAM de l'Ain").count() >= 1);
  assert.equal(await main.getByText('Caf de la Haute-Garonne').count(), 0);
});

test('a failed submit: focus on the summary, "Erreur" in the title, the form\'s order', async () => {
  const author = createUser({ name: 'Paul Girard', organisation: 'caf-31' });
  const { page } = await visit('/connexion');
  await signIn(page, author);
  await page.goto(url('/pratiques/nouvelle'));
  await page.getByRole('button', { name: 'Retirer Caf de la Haute-Garonne' }).click();
  await page.locator('#maturity-experimentee').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();

  const summary = page.locator('[data-error-summary]');
  await summary.waitFor();
  assert.match(await page.title(), /^Erreur\s:\s/);
  assert.ok(await summaryFocused(page), 'the error summary has the focus');
  // Every link leads to its field, in the order the fields come in the form.
  const inOrder = await summary.evaluate((box) => {
    const targets = [...box.querySelectorAll('a')].map((a) => document.querySelector(a.getAttribute('href')));
    return targets.length > 3 && targets.every((t, i) => t && (i === 0 ||
      (targets[i - 1].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)));
  });
  assert.ok(inOrder, 'the summary follows the form');
  assert.ok(await summary.getByRole('link', { name: /organisme/i }).count() >= 1, 'the picker is listed');
  await expectNoAxeViolations(page);

  await summary.getByRole('link', { name: /organisme/i }).first().click();
  assert.ok(await page.getByRole('combobox', { name: 'Organismes porteurs' })
    .evaluate((el) => el === document.activeElement), 'the link leads to the picker');
});
