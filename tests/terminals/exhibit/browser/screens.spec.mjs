// The exhibit page on each kiosk screen: landscape 1920×1080 and 1280×800, portrait 1080×1920
// (a touch screen). For each: the page itself never scrolls; the teleprinter paper takes at
// least 35 % of the width in landscape and 55 % in portrait; every control is at least 44 px
// each way; no text is smaller than 14 px (the paper and the memo 16 px); the map draws Natural
// Earth's coastlines, the circuits along their great circles and the cable on its circuit; the
// souvenir link gives the cable's tape as a PNG.
// A screenshot of each goes to <build dir>/screens/<width>x<height>.png.
// Usage: node screens.spec.mjs <path to hakto> <build dir>
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPERATOR_TALK, launchChromium, startExhibit } from './harness.mjs';

const [hakto, buildDir] = process.argv.slice(2);
if (!hakto || !buildDir) {
  console.error('usage: node screens.spec.mjs HAKTO BUILD_DIR');
  process.exit(2);
}
const shots = path.join(buildDir, 'screens');
fs.mkdirSync(shots, { recursive: true });

const failures = [];
function check(ok, message) {
  if (!ok) { failures.push(message); console.error(`FAIL: ${message}`); }
}

// An empty data directory: the show plays what the program holds (HAKTO 12), whatever this
// machine has downloaded.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakto-screens-'));
const { server, url } = await startExhibit(hakto, ['--speed', '300x', '--idle-reset', '0'],
                                           { ...process.env, HAKTO_DATA_DIR: dataDir, XDG_DATA_HOME: dataDir });

const SCREENS = [
  { width: 1920, height: 1080, portrait: false },
  { width: 1280, height: 800, portrait: false },
  { width: 1080, height: 1920, portrait: true, touch: true },
];

// Measured in the page: what a visitor's screen holds.
function measure() {
  const vw = window.innerWidth, vh = window.innerHeight;
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const st = getComputedStyle(e);
    return st.visibility !== 'hidden' && st.display !== 'none' && Number(st.opacity) > 0;
  };
  const rect = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  const controls = [...document.querySelectorAll('button, input, select, textarea, a[href], [role="button"]')]
    .filter(shown).map((e) => { const r = e.getBoundingClientRect(); return { what: e.id || e.textContent.trim().slice(0, 20) || e.tagName, w: r.width, h: r.height }; });
  // Every element that holds text of its own, with the size it is drawn at (an SVG's text
  // scaled by its viewBox).
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.nodeValue.trim()) continue;
    const e = t.parentElement;
    if (!e || !shown(e) || e.closest('script, style, option')) continue;
    let px = parseFloat(getComputedStyle(e).fontSize);
    if (e instanceof SVGElement) { const m = e.getScreenCTM(); if (m) px *= Math.hypot(m.a, m.b); }
    texts.push({ px, where: e.id || e.className?.baseVal || e.className || e.tagName, text: t.nodeValue.trim().slice(0, 30) });
  }
  const inside = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return r.left >= -1 && r.top >= -1 && r.right <= vw + 1 && r.bottom <= vh + 1; };
  return {
    vw, vh,
    scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight,
    paper: rect('#paper'), memo: rect('#memo'), route: rect('#route'),
    inside: Object.fromEntries(['#paper', '#memo', '#route', '#tape', '#controls', '#top'].map((s) => [s, inside(s)])),
    paperPx: parseFloat(getComputedStyle(document.getElementById('paper')).fontSize),
    memoPx: parseFloat(getComputedStyle(document.getElementById('memo')).fontSize),
    controls, texts,
  };
}

// The map, read back: where each station is drawn, the circuits' shapes, the cable's place.
function readMap() {
  const svg = document.getElementById('route');
  const centre = (id) => { const c = svg.querySelector(`#station-${id} circle`); return c ? [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))] : null; };
  const land = svg.querySelector('path.land');
  const circuit = (id) => {
    const p = svg.querySelector(`#circuit-${id}`);
    if (!p || !p.getTotalLength) return null;
    const n = p.getTotalLength();
    const at = (f) => { const q = p.getPointAtLength(n * f); return [q.x, q.y]; };
    return { length: n, start: at(0), middle: at(0.5), end: at(1), segments: (p.getAttribute('d').match(/[LM]/g) || []).length };
  };
  const packet = svg.querySelector('#packet');
  const xy = packet ? [Number(packet.getAttribute('cx')), Number(packet.getAttribute('cy'))] : null;
  // How far the cable is from the nearest point of the circuit it is on.
  const active = svg.querySelector('.circuit.active');
  let off = null;
  if (active && xy) {
    const n = active.getTotalLength();
    off = Infinity;
    for (let i = 0; i <= 400; i++) { const q = active.getPointAtLength((n * i) / 400); off = Math.min(off, Math.hypot(q.x - xy[0], q.y - xy[1])); }
  }
  return {
    land: land ? land.getAttribute('d').length : 0,
    stations: { WTE10: centre('WTE10'), WHR: centre('WHR'), WTE: centre('WTE') },
    pacific: circuit('trans-pacific'), land_line: circuit('west-coast-washington'),
    packet: xy, active: active ? active.id : null, off,
    text: svg.textContent,
  };
}

const browser = await launchChromium();
try {
  let first = true;
  for (const screen of SCREENS) {
    const name = `${screen.width}x${screen.height}`;
    const page = await browser.newPage({ viewport: { width: screen.width, height: screen.height }, hasTouch: !!screen.touch });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('#conn.on', { timeout: 10000 });
    // The first screen waits for the cable to be on the line, then for the memo; the others
    // join the show where it is.
    if (first) {
      // A circuit active and the cable on it (its first code sent).
      await page.waitForFunction(() => document.querySelector('#route .circuit.active') &&
                                 Number(document.getElementById('packet').getAttribute('cx')) >= 0, null, { timeout: 60000 });
      const moving = await page.evaluate(readMap);
      check(moving.packet && moving.off !== null && moving.off < 3,
            `${name}: the cable is ${moving.off?.toFixed(1)} px off the circuit it is on (${moving.active})`);
      console.log(`${name}: the cable on ${moving.active}, ${moving.off?.toFixed(2)} px from its great circle`);
      await page.waitForSelector('#memo li', { timeout: 180000 });
      first = false;
    } else {
      await page.waitForFunction(() => document.getElementById('paper').textContent.includes('HAKTO'), null, { timeout: 20000 });
    }
    await page.waitForFunction(() => window.HaktoMap && document.querySelector('#route path.land'), null, { timeout: 10000 });
    // An explanation open, as a visitor leaves it: its close button is a control too.
    const term = page.locator('#paper .term[data-term="dtg"]').first();
    await term.scrollIntoViewIfNeeded();
    await term.click();
    await page.waitForSelector('#explain:not(.hidden)', { timeout: 5000 });
    await page.waitForTimeout(400);

    const m = await page.evaluate(measure);
    const map = await page.evaluate(readMap);
    const paperShare = m.paper.w / m.vw;
    const minShare = screen.portrait ? 0.55 : 0.35;
    check(m.scrollW <= m.vw + 1 && m.scrollH <= m.vh + 1, `${name}: the page scrolls (${m.scrollW}×${m.scrollH})`);
    for (const [sel, ok] of Object.entries(m.inside)) check(ok, `${name}: ${sel} is not wholly on the screen`);
    check(paperShare >= minShare, `${name}: the paper is ${(paperShare * 100).toFixed(1)} % of the width (at least ${minShare * 100} %)`);
    if (screen.portrait) {
      check(m.memo.y >= m.paper.y + m.paper.h - 1, `${name}: in portrait the memo goes below the paper`);
    }
    const small = m.controls.filter((c) => c.w < 44 || c.h < 44);
    check(small.length === 0, `${name}: controls under 44 px: ${small.map((c) => `${c.what} ${c.w.toFixed(0)}×${c.h.toFixed(0)}`).join(', ')}`);
    const tiny = m.texts.filter((t) => t.px < 14 - 0.05);
    check(tiny.length === 0, `${name}: text under 14 px: ${tiny.slice(0, 6).map((t) => `${t.where} "${t.text}" ${t.px.toFixed(1)}px`).join('; ')}`);
    check(m.paperPx >= 16 && m.memoPx >= 16, `${name}: the paper's type is ${m.paperPx}px and the memo's ${m.memoPx}px (at least 16)`);
    const minText = Math.min(...m.texts.map((t) => t.px));
    const minControl = Math.min(...m.controls.map((c) => Math.min(c.w, c.h)));

    // The map: coastlines, the stations west to east across the Pacific, each circuit along
    // its great circle (Beijing to California bows north, towards the Aleutians).
    check(map.land > 2000, `${name}: no coastlines on the map`);
    const s = map.stations;
    check(s.WTE10 && s.WHR && s.WTE && s.WTE10[0] < s.WHR[0] && s.WHR[0] < s.WTE[0],
          `${name}: the stations are not west to east: ${JSON.stringify(s)}`);
    check(map.pacific && map.pacific.middle[1] < Math.min(map.pacific.start[1], map.pacific.end[1]) - 10 && map.pacific.segments > 8,
          `${name}: the trans-Pacific circuit is not drawn along its great circle: ${JSON.stringify(map.pacific)}`);
    check(/Natural Earth/.test(map.text), `${name}: the map does not credit Natural Earth`);
    check(/relay \(modelled\)/.test(map.text) && /modelling choice/.test(map.text), `${name}: the relay is not labelled as a modelling choice`);
    // The souvenir link: the tape of the cable on the paper, as a PNG to take home.
    const href = await page.locator('#souvenir').getAttribute('href');
    check(/^souvenir\?cable=HAKTO%2012&format=png$/.test(href), `${name}: the souvenir link is ${href}`);
    if (screen.portrait) {
      const res = await page.request.get(new URL(href, url).toString());
      const body = await res.body();
      check(res.status() === 200 && body.subarray(1, 4).toString() === 'PNG' &&
            /attachment/.test(res.headers()['content-disposition'] || ''),
            `${name}: the souvenir link gives ${res.status()} ${res.headers()['content-type']}`);
    }
    const visible = await page.evaluate(() => document.body.innerText);
    const talk = visible.match(OPERATOR_TALK);
    check(!talk, `${name}: the visitor's page reads operator talk: "${talk && talk[0]}"`);
    check(errors.length === 0, `${name}: page errors: ${errors.join('; ')}`);

    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`${name}: paper ${(paperShare * 100).toFixed(1)} % of the width (${m.paperPx}px type), smallest text ${minText.toFixed(1)}px, ` +
                `smallest control ${minControl.toFixed(0)}px, page ${m.scrollW}×${m.scrollH}, screenshot ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('ok: every screen');
