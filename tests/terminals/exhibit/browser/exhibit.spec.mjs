// Browser test of the exhibit page: starts `hakto exhibit` on a free port, drives Debian's
// Chromium with playwright-core, and checks that the page prints HAKTO 12, drafts the memo,
// explains a header element, resumes after a reload (the paper, the punched tape, the key-tape
// and cipher strips), shows visitors no operator talk, and tells the operator what is missing.
// Usage: node exhibit.spec.mjs <path to hakto> <build dir>
import path from 'node:path';
import { OPERATOR_TALK, launchChromium, startExhibit } from './harness.mjs';

const [hakto, buildDir] = process.argv.slice(2);
if (!hakto || !buildDir) {
  console.error('usage: node exhibit.spec.mjs HAKTO BUILD_DIR');
  process.exit(2);
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

const { server, url } = await startExhibit(hakto, ['--speed', '300x', '--idle-reset', '0']);
console.log(`exhibit at ${url}`);

const browser = await launchChromium();
let ok = false;
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('#conn.on', { timeout: 10000 });

  // The cable prints on the White House paper.
  await page.waitForFunction(() => document.getElementById('paper').textContent.includes('THREE AND A HALF HOUR SESSION'),
                             null, { timeout: 90000 });
  console.log('ok: HAKTO 12 printing on the paper');

  // The header elements can be explained.
  const routing = page.locator('#paper .term[data-term="routing"]', { hasText: 'WE DE WTE1Ø' }).first();
  await routing.waitFor({ timeout: 10000 });
  // The explanation is filled in after the click: wait for it (a slow run, under the
  // sanitizers, read it empty).
  const explain = async (term, before) => {
    await term.click();
    await page.waitForFunction((previous) => {
      const t = document.getElementById('explain-text').textContent;
      return t.trim() !== '' && t !== previous;
    }, before, { timeout: 10000 });
    return page.locator('#explain-text').textContent();
  };
  const explained = await explain(routing, await page.locator('#explain-text').textContent());
  if (!/DE/.test(explained) || !/WTE10/.test(explained) || !/Ø/.test(explained)) fail(`routing explanation: ${explained}`);
  const dtg = page.locator('#paper .term[data-term="dtg"]', { hasText: 'O 211615Z' }).first();
  const dtgText = await explain(dtg, explained);
  if (!/IMMEDIATE/.test(dtgText) || !/Day 21/.test(dtgText) || !/16:15/.test(dtgText) || !/Zulu/.test(dtgText)) fail(`DTG explanation: ${dtgText}`);
  // The same texts as `hakto explain` (terminals/explain/data), served as explain.json.
  const table = await page.evaluate(async () => (await fetch('explain.json')).json());
  if (!table.elements || !table.elements.dtg || !dtgText.includes(table.elements.dtg.text)) fail('the DTG explanation is not the shared table\'s');
  console.log('ok: header elements explained');

  // Reload mid-run, paused so that nothing new arrives: the page comes back with what has been
  // printed so far, the punched tape and the key-tape and cipher strips as they were.
  const strips = () => page.evaluate(() => ['tape', 'key-tape', 'cipher-tape'].map((id) =>
    [...document.querySelectorAll(`#${id} .col`)].map((c) =>
      [...c.querySelectorAll('.hole:not(.feed)')].map((h) => (h.classList.contains('on') ? 1 : 0)).join('')).join(' ')));
  await page.waitForFunction(() => document.querySelectorAll('#cipher-tape .col').length >= 10, null, { timeout: 30000 });
  await page.locator('#pause').click();
  await page.waitForFunction(() => document.getElementById('pause').textContent !== 'Pause', null, { timeout: 10000 });
  await page.waitForTimeout(300);  // the last frame before the pause
  const before = await strips();
  await page.reload();
  await page.waitForSelector('#conn.on', { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById('paper').textContent.includes('HAKTO'), null, { timeout: 10000 });
  const after = await strips();
  ['punched tape', 'key tape', 'cipher tape'].forEach((name, i) => {
    if (!after[i]) fail(`${name} empty after the reload`);
    // The reload shows the last codes the strip held (a strip may hold fewer after it).
    if (!before[i].endsWith(after[i])) fail(`${name} after the reload is not what it showed: ${after[i]} vs ${before[i]}`);
  });
  await page.locator('#pause').click();  // resume
  console.log('ok: page resumed after reload, with its punched tape, key tape and cipher strips');

  // The covering memorandum is drafted.
  await page.waitForSelector('#memo li', { timeout: 120000 });
  const bullets = await page.locator('#memo li').count();
  if (bullets < 1) fail('no memo bullets');
  await page.locator('#memo li').first().hover();
  await page.waitForSelector('#paper .line.para-hi', { timeout: 5000 });
  console.log(`ok: memo with ${bullets} bullets; hovering highlights the source paragraph`);

  await page.locator('#paper .term[data-term="dtg"]', { hasText: 'O 211615Z' }).first().click();
  await page.locator('#memo li').first().hover();
  await page.waitForTimeout(1000);
  // Nothing on the visitor's page is written for the operator: no option, file or command.
  const visible = await page.evaluate(() => document.body.innerText);
  const talk = visible.match(OPERATOR_TALK);
  if (talk) fail(`the visitor's page reads operator talk: "${talk[0]}"`);
  await page.screenshot({ path: path.join(buildDir, 'exhibit-screenshot.png') });
  console.log(`screenshot: ${path.join(buildDir, 'exhibit-screenshot.png')}`);

  // The operator page, on a second screen: turn the noise on for every screen.
  const op = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  op.on('pageerror', (e) => errors.push(`operator: ${e}`));
  await op.goto(`${url}operator.html`);
  await op.waitForSelector('#conn.on', { timeout: 10000 });
  await op.waitForSelector('#cables input[value="HAKTO 12"]', { timeout: 10000 });
  // The texts the exhibit lacks, and how to add them, on the operator's page only.
  const texts = await op.locator('#texts').textContent();
  if (!/HAKTO 7/.test(texts) || !/HAKTO 9/.test(texts) || !/hakto frus fetch/.test(texts)) fail(`operator's texts: ${texts}`);
  const scenarioName = await op.locator('#scenario').inputValue();
  if (scenarioName !== 'june1972') fail(`operator scenario: ${scenarioName}`);
  await op.locator('#cables input[value="HAKTO 12"]').check();
  await op.locator('#cables input[value="HAKTO 9"]').check();  // chosen without its text
  await op.locator('#noise').check();
  await op.locator('#settings button[type="submit"]').click();
  await op.waitForFunction(() => document.getElementById('result').className === 'ok' &&
                           document.getElementById('result').textContent.startsWith('Applied'), null, { timeout: 10000 });
  await page.waitForFunction(() => document.getElementById('noise').textContent === 'Noise: on', null, { timeout: 10000 });
  // HAKTO 9 prints its header alone, under a caption for visitors.
  await page.waitForSelector('#paper .caption', { timeout: 30000 });
  const caption = await page.locator('#paper .caption').first().textContent();
  if (!/Volume E-13, Document 141/.test(caption)) fail(`caption: ${caption}`);
  const visibleNow = await page.evaluate(() => document.body.innerText);
  const talkNow = visibleNow.match(OPERATOR_TALK);
  if (talkNow) fail(`the visitor's page reads operator talk: "${talkNow[0]}"`);
  console.log('ok: a cable without its text prints its header under a caption for visitors');
  const viewers = Number(await op.locator('#now-viewers').textContent());
  if (!(viewers >= 2)) fail(`operator sees ${viewers} screens`);
  await op.screenshot({ path: path.join(buildDir, 'exhibit-operator-screenshot.png') });
  console.log('ok: the operator page turned the noise on for every screen');

  if (errors.length) fail(`page errors: ${errors.join('; ')}`);
  ok = true;
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
process.exitCode = ok ? 0 : 1;
