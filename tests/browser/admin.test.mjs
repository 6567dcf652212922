// An administrator grants the coordinator role, and the change shows in the audit log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser, expectNoAxeViolations, signIn, url, useBrowser } from './lib.mjs';

const visit = useBrowser();

test('admin grants the coordinator role, visible in the audit log', async () => {
  const admin = createUser({ name: 'Inès Faure', role: 'admin' });
  const agent = createUser({ name: 'Paul Mercier' });
  const { page } = await visit('/connexion');
  await signIn(page, admin);

  await page.goto(url('/admin'));
  await expectNoAxeViolations(page);
  await page.goto(url(`/admin/utilisateurs?q=${encodeURIComponent(agent.email)}`));
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: agent.name }).click();
  await page.getByRole('heading', { name: agent.name, level: 1 }).waitFor();
  await expectNoAxeViolations(page);

  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Coordination du Lab/ }) });
  await row.getByRole('button', { name: /Attribuer/ }).click();
  await page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Coordination du Lab/ }) })
    .getByRole('link', { name: /Retirer/ }).waitFor();
  await expectNoAxeViolations(page);

  await page.goto(url(`/admin/journal?action=role.add&cible=`));
  await expectNoAxeViolations(page);
  const entry = page.getByRole('row').filter({ hasText: 'Rôle ajouté' }).filter({ hasText: 'coordinator' })
    .filter({ hasText: admin.email });
  assert.ok(await entry.count() >= 1, 'the grant is in the audit log');

  // The agent now has the role, as the API says.
  const me = await page.context().browser().newContext();
  const agentPage = await me.newPage();
  await signIn(agentPage, agent);
  const body = await (await agentPage.request.get(url('/api/v1/me'))).json();
  assert.ok(body.roles.includes('coordinator'));
  await me.close();
});
