// Shared helpers for the browser tests: Debian's chromium through playwright-core, and axe.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE_URL = process.env.COUSILAB_BASE_URL || 'http://127.0.0.1:18080';

export const url = (path) => new URL(path, BASE_URL).href;

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Registers before/after hooks for the calling test file: one browser for the file, one fresh
// context per page. Returns visit(path, options) -> { page, response }; options go to the
// context (viewport, javaScriptEnabled).
export function useBrowser() {
  let browser;
  const contexts = [];
  before(async () => { browser = await launchBrowser(); });
  afterEach(async () => { await Promise.all(contexts.splice(0).map((c) => c.close())); });
  after(async () => { await browser?.close(); });
  return async function visit(path, options = {}) {
    const context = await browser.newContext({ locale: 'fr-FR', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const response = await page.goto(url(path));
    assert.ok(response, `no response for ${path}`);
    return { page, response };
  };
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function expectNoAxeViolations(page) {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (violations.length === 0) return;
  const lines = violations.map((v) => [
    `- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`,
    ...v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary.replace(/:?\s*\n\s*/g, '; ')}`),
    ...(v.nodes.length > 5 ? [`    ... and ${v.nodes.length - 5} more`] : []),
  ].join('\n'));
  assert.fail(`${violations.length} axe violation(s) on ${page.url()}:\n${lines.join('\n')}`);
}

// The site layout: French document, main navigation with the four parts, main content #contenu.
export const NAV_LINKS = ['cousiSTORE', 'Défi du Lab', 'Projets', 'Grand Prix'];

export async function expectLayout(page) {
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const nav = page.getByRole('navigation').filter({ has: page.getByRole('link', { name: NAV_LINKS[0] }) });
  assert.equal(await nav.count(), 1, 'one navigation containing the cousiSTORE link');
  for (const name of NAV_LINKS) {
    assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 1, `nav link "${name}"`);
  }
  assert.equal(await page.locator('#contenu').count(), 1, 'an element #contenu');
}

// The SMTP sink's Maildir ($COUSILAB_VAR/mail/new): what the app really sent.
const MAILDIR = join(process.env.COUSILAB_VAR || 'build/test/var', 'mail', 'new');

// Returns the decoded text/plain body of a raw RFC 5322 message.
function textPart(raw) {
  const part = raw.split(/\r?\n(?=--)/).find((p) => /Content-Type:\s*text\/plain/i.test(p)) ?? raw;
  const [headers, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

// Waits (up to timeoutMs) for a message to `to` whose text matches pattern; returns its
// decoded text body.
export async function waitForMail(to, pattern, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = await readdir(MAILDIR).catch(() => []);
    for (const f of files) {
      const raw = await readFile(join(MAILDIR, f), 'utf8');
      if (!new RegExp(`^To:.*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw)) continue;
      const text = textPart(raw);
      if (pattern.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`no mail to ${to} matching ${pattern} within ${timeoutMs} ms`);
}

// Returns the first link to this site found in a mail body.
export function linkIn(text) {
  const m = text.match(/https?:\/\/[^\s<>"]+/);
  assert.ok(m, 'a link in the mail');
  return m[0];
}

// Creates a confirmed account with the real command line (`cousilab user add`), as an
// administrator would on a fresh install. Returns { email, password, name }.
export function createUser({ name, role, organisation = 'caf-31' }) {
  const slug = name.normalize('NFD').replace(/[^A-Za-z]+/g, '.').toLowerCase();
  const email = `${slug}.${process.pid}.${Date.now()}@example.org`;
  const password = 'un long chemin vers la mer';
  const args = ['user', 'add', '--email', email, '--name', name, '--organisation', organisation];
  if (role) args.push('--role', role);
  cousilab(args, `${password}\n`);
  return { email, password, name };
}

// Runs the cousilab command line on the test database; returns what it printed.
function cousilab(args, input = '') {
  return execFileSync(join(process.env.COUSILAB_BUILD || 'build/test', 'cousilab'), args, {
    input,
    cwd: process.env.COUSILAB_SRC || '.',
    env: { ...process.env, MONGODB_URI: `mongodb://127.0.0.1:${process.env.COUSILAB_DB_PORT || 27019}/cousilab` },
  }).toString();
}

// Returns a new API token of the account with that email (`cousilab token create`).
export function createToken(email) {
  return cousilab(['token', 'create', '--email', email, '--name', 'tests du navigateur']).trim();
}

// Writes a test file with the C tests' maker (tests/integration/media_make.c) and returns its
// path: makeMedia('mp4', path, 12) a 12-second MP4 (extra arguments: 'end' for moov after
// mdat, 'mdat=BYTES'), makeMedia('pdf', path, 4096) a one-page PDF of exactly 4,096 bytes.
export function makeMedia(kind, path, ...args) {
  const tool = join(process.env.COUSILAB_BUILD || 'build/test', 'tests', 'media_make');
  execFileSync(tool, [kind, path, ...args.map(String)]);
  return path;
}

// Signs in through the login form; leaves the page on the page after login.
export async function signIn(page, { email, password }) {
  await page.goto(url('/connexion'));
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

// Creates the yearly edition build(year) returns (the API's JSON) by POST to path with token,
// in the first free year from a start taken from the pid and a counter, walking 2030..2099 and
// wrapping round, as the integration tests' test_edition_new does: the integration tests and
// the other browser files hold editions in the same range on the same stack, so a fixed year
// would collide with theirs. Returns what was created.
let editionsMade = 0;
export async function newYearlyEdition(token, path, build) {
  const first = (process.pid * 7 + editionsMade++ * 11) % 70;
  for (let tries = 0; tries < 70; tries++) {
    const edition = build(2030 + ((first + tries) % 70));
    const res = await fetch(url(path), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(edition),
    });
    const text = await res.text();
    if (res.status === 201) return edition;
    // Only "this year is taken" sends the walk on; any other refusal is the test's failure.
    assert.equal(res.status, 422, text);
    assert.deepEqual(Object.keys(JSON.parse(text).error.fields || {}), ['year'], text);
  }
  return assert.fail(`no free year for an edition at ${path} between 2030 and 2099`);
}
