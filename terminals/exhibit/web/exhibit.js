// The exhibit page: receives the replay's events over a WebSocket and draws the teleprinter
// paper, the tape, the route, the clocks and the covering memorandum. Plain JS, no libraries.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const paper = $('paper');
  const state = { offsets: { WTE10: 8, WTE: -4 }, stations: [], circuits: [], page: null, line: null,
                  lineText: '', para: null, col: 0, sound: false, noise: false, paused: false, queue: [], captions: {} };

  // ---- Explanations of the header elements -------------------------------------------------
  // The texts are hakto's explanation table (terminals/explain/data, the same as `hakto explain`),
  // served as explain.json; each cable's own notes (values filled for that cable) come with it.
  state.table = null;
  state.explain = {};
  fetch('explain.json').then((r) => r.json()).then((t) => { state.table = t; }).catch(() => { /* the cable notes still work */ });
  const TERM_ELEMENTS = {
    routing: ['routing'], dtg: ['precedence', 'dtg', 'dtg.zone'], dateline: ['date_line'], to: ['to'], from: ['from'],
    series: ['series.hakto'], notrepeatnot: ['emphasis'], signoff: ['signoff'], classification: ['classification'],
    paragraph: ['paragraph'],
  };
  const norm = (t) => t.replace(/Ø/g, '0').replace(/\s+/g, ' ').trim();
  // The exhibit shows the June 1972 cables as FRUS prints them: the table's notes for those
  // cables hold here.
  const CONTEXTS = ['june1972', 'frus'];
  function tableNote(id) {
    const e = state.table && state.table.elements && state.table.elements[id];
    if (!e) return null;
    const note = CONTEXTS.map((c) => e.notes && e.notes[c] && e.notes[c].text).filter(Boolean).join(' ');
    return { element: id, label: '', title: e.title, value: '', text: e.text, note };
  }
  /// The notes for a touched element: the cable's own notes for that line when there are any,
  /// else the table's general texts for the kind of element.
  function notesFor(term, lineText, cable) {
    const lines = state.explain[cable] || [];
    const entry = lines.find((l) => norm(l.text) === norm(lineText));
    let notes = entry ? entry.notes.filter((n) => (term === 'notrepeatnot' ? n.element === 'emphasis' : n.element !== 'emphasis' && n.element !== 'mixed_case')) : [];
    if (!notes.length) {
      let ids = TERM_ELEMENTS[term] || [];
      if (term === 'series' && /^TOHAK/.test(lineText.trim())) ids = ['series.tohak'];
      notes = ids.map(tableNote).filter(Boolean);
    }
    // The paper prints zero as Ø: say why, wherever it appears.
    if (term !== 'notrepeatnot' && lineText.includes('Ø') && !notes.some((n) => n.element === 'routing.slashed_zero')) {
      const z = tableNote('routing.slashed_zero');
      if (z) notes.push(z);
    }
    return notes;
  }
  const MONTHS = /^(JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER) \S+, \S+/;
  function classify(text) {
    const t = text.trim();
    if (/^[A-Z0-9Ø]+ DE [A-Z0-9Ø]+/.test(t)) return 'routing';
    if (/^(Z|O|P|R|Y|ZZ|OO|PP|RR)\s+[0-9Ø]{6}Z/.test(t)) return 'dtg';
    if (MONTHS.test(t)) return 'dateline';
    if (/^TO[: ]/.test(t)) return 'to';
    if (/^FROM[: ]/.test(t)) return 'from';
    if (/^(HAKTO|TOHAK)\b/.test(t)) return 'series';
    if (/^(TOP SECRET|SECRET|CONFIDENTIAL)\b/.test(t)) return 'classification';
    if (/^(WARM REGARDS|REGARDS|BEST REGARDS)\b/.test(t)) return 'signoff';
    return null;
  }
  const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  function renderLine(div, text) {
    const kind = classify(text);
    const p = text.trim().match(/^([0-9Ø]+)\.(\s|$)/);
    if (p) state.para = parseInt(p[1].replace(/Ø/g, '0'), 10);
    if (kind) state.para = null;
    if (state.para !== null) div.dataset.para = String(state.para);
    let html = esc(text);
    html = html.replace(/NOT REPEAT NOT/g, '<span class="term" data-term="notrepeatnot">NOT REPEAT NOT</span>');
    if (kind) html = `<span class="term" data-term="${kind}">${html}</span>`;
    div.innerHTML = html;
  }

  // ---- The souvenir: the cable on the paper, or the visitor's own reply, as a tape to take home
  let replied = false;
  function souvenirFor(cable) {
    if (!cable || !cable.id) return;
    // A reply typed here comes back as the next TOHAK: offer that one.
    if (replied && /^TOHAK\b/.test(cable.id)) { replied = false; setSouvenir(cable.id, 'Take your TOHAK as tape'); }
  }
  function setSouvenir(id, text) {
    const a = $('souvenir');
    a.href = `souvenir?cable=${encodeURIComponent(id)}&format=png`;
    a.setAttribute('download', `souvenir-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`);
    a.textContent = text;
  }

  // ---- The paper ------------------------------------------------------------------------------
  function newPage(cable) {
    const head = document.createElement('div');
    head.className = 'pagehead';
    head.textContent = `page printer, ${cable}`;
    paper.appendChild(head);
    // A cable whose text the exhibit does not hold: its header prints alone, and this says
    // where the text is published and why it is not shown.
    if (state.captions[cable]) {
      const c = document.createElement('p');
      c.className = 'caption';
      c.textContent = state.captions[cable];
      paper.appendChild(c);
    }
    state.page = cable;
    state.para = null;
    if (!/^TOHAK\b/.test(cable)) setSouvenir(cable, `Take ${cable} as tape`);
    newLine();
  }
  function newLine() {
    state.line = document.createElement('div');
    state.line.className = 'line';
    if (state.page) state.line.dataset.cable = state.page;
    state.lineText = '';
    paper.appendChild(state.line);
    state.col = 0;
  }
  function printGlyph(cable, g, live) {
    if (state.page !== cable) newPage(cable);
    if (g === '\r') { state.col = 0; carriage(true); if (live) sound('cr'); return; }
    if (g === '\n') { renderLine(state.line, state.lineText); newLine(); return; }
    if (!g || g === '\u0007') return;
    state.lineText += g;
    state.col += 1;
    if (live) {
      renderLine(state.line, state.lineText);
      carriage(false);
      sound('key');
    }
  }
  function finishPrinting() {
    if (state.line) renderLine(state.line, state.lineText);
    paper.scrollTop = paper.scrollHeight;
  }
  function carriage(ret) {
    const head = $('typehead');
    head.classList.toggle('return', ret);
    head.style.left = `${Math.min(state.col, 72) / 72 * 100}%`;
  }
  let scrollPending = false;
  function scrollPaper() {
    if (scrollPending) return;
    scrollPending = true;
    requestAnimationFrame(() => { scrollPending = false; paper.scrollTop = paper.scrollHeight; });
  }

  paper.addEventListener('click', (ev) => {
    const t = ev.target.closest('.term');
    if (!t) return;
    document.querySelectorAll('#paper .term.shown').forEach((e) => e.classList.remove('shown'));
    t.classList.add('shown');
    const line = t.closest('.line');
    const lineText = line ? line.textContent : t.textContent;
    const notes = notesFor(t.dataset.term, lineText, line ? line.dataset.cable : state.page);
    $('explain-title').textContent = `${t.textContent.trim()} — ${notes.length ? notes[0].title : ''}`;
    const box = $('explain-text');
    box.innerHTML = '';
    for (const n of notes) {
      const p = document.createElement('p');
      if (notes.length > 1) {
        const b = document.createElement('strong');
        b.textContent = `${n.label ? `${n.label.replace(/0/g, 'Ø')}: ` : ''}${n.title}. `;
        p.appendChild(b);
      }
      p.appendChild(document.createTextNode(`${n.value ? `${n.value} ` : ''}${n.text}${n.note ? ` ${n.note}` : ''}`));
      box.appendChild(p);
    }
    $('explain').classList.remove('hidden');
    $('explain').scrollTop = 0;
  });
  $('explain-close').addEventListener('click', () => $('explain').classList.add('hidden'));

  // ---- The tape -------------------------------------------------------------------------------
  const TAPE_COLS = 26;
  function tapeColumn(code, label) {
    const col = document.createElement('div');
    col.className = 'col fresh';
    // Channels 1-2, the feed hole, channels 3-5 (bit 0 is channel 1).
    for (let ch = 0; ch < 5; ch++) {
      if (ch === 2) { const f = document.createElement('div'); f.className = 'hole feed'; col.appendChild(f); }
      const h = document.createElement('div');
      h.className = 'hole' + ((code >> ch) & 1 ? ' on' : '');
      col.appendChild(h);
    }
    if (label !== undefined) { const l = document.createElement('div'); l.className = 'ch'; l.textContent = label; col.appendChild(l); }
    return col;
  }
  function pushTape(el, code, label) {
    if (el.lastChild) el.lastChild.classList.remove('fresh');
    el.appendChild(tapeColumn(code, label));
    while (el.childNodes.length > TAPE_COLS) el.removeChild(el.firstChild);
  }
  // The key tape (what the crypto unit added) and the cipher (what went on the line), every
  // other code, from a line event or a snapshot's `strips`.
  function pushStrips(e) {
    const sent = parseInt(e.code, 16), onLine = parseInt(e.on_line, 16);
    if (Number.isNaN(sent) || Number.isNaN(onLine) || e.index % 2 !== 0) return;
    pushTape($('key-tape'), sent ^ onLine);
    pushTape($('cipher-tape'), onLine);
  }
  const shown = (g) => (g === ' ' ? '␣' : g === '\r' ? '<' : g === '\n' ? '≡' : g || '·');

  // ---- The route: a map (exhibit_map.js) ------------------------------------------------------
  const map = window.HaktoMap.create($('route'));
  const activeCircuit = (id) => map.activeCircuit(id);
  const activeStation = (id) => map.activeStation(id);
  const drawRoute = () => map.setNetwork(state.stations, state.circuits);
  const drawQueue = () => map.setQueue(state.queue);
  const codes = {};  // cable -> codes it takes on the line

  // ---- Clocks ---------------------------------------------------------------------------------
  const two = (n) => String(n).padStart(2, '0');
  function clock(ms, offset) {
    const d = new Date(ms + offset * 3600e3);
    return `${two(d.getUTCDate())} ${['JAN','FEB','MAR','APR','MAY','JUN','JUL','AUG','SEP','OCT','NOV','DEC'][d.getUTCMonth()]} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  }
  let clockMs = 0;
  function setClock(ms) {
    if (!ms || ms === clockMs) return;
    clockMs = ms;
    $('clock-utc').textContent = clock(ms, 0) + 'Z';
    $('clock-bj').textContent = clock(ms, state.offsets.WTE10 ?? 8);
    $('clock-dc').textContent = clock(ms, state.offsets.WTE ?? -4);
  }

  // ---- Memo -----------------------------------------------------------------------------------
  function showMemo(m, leftOut, cable) {
    const box = $('memo');
    box.innerHTML = '';
    const head = document.createElement('div');
    head.className = 'head';
    head.innerHTML = `MEMORANDUM FOR ${esc(m.for || 'THE PRESIDENT')}<br>FROM: ${esc(m.from || '')}<br>${esc(m.date_text || m.date || '')}<br>SUBJECT: ${esc(m.subject || cable || '')}`;
    box.appendChild(head);
    for (const p of m.paragraphs || []) { const e = document.createElement('p'); e.textContent = p; box.appendChild(e); }
    const ul = document.createElement('ul');
    for (const b of m.bullets || []) {
      const li = document.createElement('li');
      li.textContent = b.text + ' ';
      const src = document.createElement('span');
      src.className = 'src';
      src.textContent = b.sources && b.sources.length ? `(cable ¶${b.sources.join(', ¶')})` : '';
      li.appendChild(src);
      const on = () => highlightParas(b.sources || [], li);
      li.addEventListener('mouseenter', on);
      li.addEventListener('click', on);
      li.addEventListener('touchstart', on, { passive: true });
      li.addEventListener('mouseleave', () => highlightParas([], null));
      ul.appendChild(li);
    }
    box.appendChild(ul);
    if (leftOut && leftOut.length) {
      const lo = document.createElement('div');
      lo.className = 'left-out';
      lo.textContent = 'Left out: ' + leftOut.join('; ');
      box.appendChild(lo);
    }
  }
  function highlightParas(sources, li) {
    document.querySelectorAll('#memo li.hi').forEach((e) => e.classList.remove('hi'));
    if (li) li.classList.add('hi');
    let first = null;
    paper.querySelectorAll('.line').forEach((d) => {
      const on = d.dataset.para !== undefined && sources.includes(Number(d.dataset.para));
      d.classList.toggle('para-hi', on);
      if (on && !first) first = d;
    });
    if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  // ---- Log ------------------------------------------------------------------------------------
  function log(text) {
    const l = $('log');
    const d = document.createElement('div');
    d.textContent = text;
    l.appendChild(d);
    while (l.childNodes.length > 40) l.removeChild(l.firstChild);
    l.scrollTop = l.scrollHeight;
  }

  // ---- Sound (Web Audio, synthesized) -----------------------------------------------------------
  let audio = null;
  function sound(kind) {
    if (!state.sound || !audio) return;
    const t = audio.currentTime;
    if (kind === 'key') {
      const len = 0.03;
      const buf = audio.createBuffer(1, Math.floor(audio.sampleRate * len), audio.sampleRate);
      const d = buf.getChannelData(0);
      for (let i = 0; i < d.length; i++) d[i] = (Math.random() * 2 - 1) * Math.exp(-i / (d.length / 6));
      const src = audio.createBufferSource();
      src.buffer = buf;
      const f = audio.createBiquadFilter(); f.type = 'bandpass'; f.frequency.value = 1800 + Math.random() * 600; f.Q.value = 2;
      const g = audio.createGain(); g.gain.value = 0.5;
      src.connect(f).connect(g).connect(audio.destination);
      src.start(t);
    } else {
      const o = audio.createOscillator(); o.type = 'sine'; o.frequency.value = 2100;
      const g = audio.createGain(); g.gain.setValueAtTime(0.25, t); g.gain.exponentialRampToValueAtTime(0.001, t + 0.6);
      o.connect(g).connect(audio.destination); o.start(t); o.stop(t + 0.6);
    }
  }
  $('sound').addEventListener('click', () => {
    state.sound = !state.sound;
    if (state.sound && !audio) audio = new (window.AudioContext || window.webkitAudioContext)();
    if (audio && audio.state === 'suspended') audio.resume();
    $('sound').textContent = `Sound: ${state.sound ? 'on' : 'off'}`;
    $('sound').classList.toggle('on', state.sound);
  });

  // ---- Events -----------------------------------------------------------------------------------
  function applyState(s) {
    if (!s) return;
    setClock(s.utc_ms);
    $('stage').textContent = `${s.cable || ''} ${s.stage || ''}${s.paused ? ' (paused)' : ''}`.trim();
    state.paused = !!s.paused;
    $('pause').textContent = s.paused ? 'Resume' : 'Pause';
    $('pause').dataset.control = s.paused ? 'resume' : 'pause';
    state.noise = !!s.noise;
    $('noise').textContent = `Noise: ${s.noise ? 'on' : 'off'}`;
    $('noise').classList.toggle('on', !!s.noise);
    $('crypto').classList.toggle('off', s.crypto === false);
    document.querySelectorAll('[data-speed]').forEach((b) => b.classList.toggle('on', b.dataset.speed === s.speed));
  }

  function onEvent(e, live) {
    setClock(e.utc_ms);
    switch (e.kind) {
      case 'printed':
        printGlyph(e.cable, e.glyph, live);
        if (live) scrollPaper();
        activeStation(e.to);
        return;
      case 'punched':
        if (live) pushTape($('tape'), parseInt(e.code, 16), shown(e.glyph));
        return;
      case 'line': {
        if (!live) return;
        pushStrips(e);
        activeCircuit(e.circuit);
        map.movePacket(e.from, e.to, codes[e.cable] ? (e.index + 1) / codes[e.cable] : 0.5);
        return;
      }
      case 'stage':
        if (e.explain) state.explain[e.cable] = e.explain;
        if (e.caption) state.captions[e.cable] = e.caption;
        $('stage').textContent = `${e.cable || ''} ${e.stage}`;
        if (e.stage === 'relaying') { state.queue.push({ id: e.cable, prec: precOf(e.cable), station: e.station }); drawQueue(); activeStation(e.station); }
        if (e.stage === 'transmitting') { state.queue = state.queue.filter((q) => !(q.id === e.cable && q.station === e.from)); drawQueue(); activeCircuit(e.circuit); activeStation(e.from); }
        if (e.stage === 'received') { finishPrinting(); activeCircuit(null); activeStation(e.station); state.queue = state.queue.filter((q) => q.id !== e.cable); drawQueue(); }
        if (e.stage === 'drafting') activeStation(e.station);
        break;
      case 'memo':
        if (e.memo) showMemo(e.memo, e.left_out, e.cable);
        break;
      default: break;
    }
    if (e.text) log(e.text);
  }
  const precs = {};
  const precOf = (id) => precs[id] || 'R';

  function onSnapshot(s) {
    paper.innerHTML = '';
    state.page = null; state.line = null; state.queue = [];
    $('tape').innerHTML = ''; $('key-tape').innerHTML = ''; $('cipher-tape').innerHTML = '';
    $('log').innerHTML = '';
    $('memo').innerHTML = '<p class="placeholder">Drafted when the cable reaches the Situation Room.</p>';
    state.stations = s.stations || [];
    state.circuits = s.circuits || [];
    for (const st of state.stations) state.offsets[st.id] = st.utc_offset;
    drawRoute();
    for (const c of s.cables || []) {
      precs[c.id] = c.precedence;
      if (c.codes) codes[c.id] = c.codes;
      if (c.explain) state.explain[c.id] = c.explain;
      if (c.caption) state.captions[c.id] = c.caption;
      if (c.printed) { for (const g of Array.from(c.printed)) printGlyph(c.id, g, false); finishPrinting(); }
    }
    for (const e of s.history || []) onEvent(e, false);
    for (const t of s.tape || []) pushTape($('tape'), parseInt(t.code, 16), shown(t.glyph));
    for (const t of s.strips || []) pushStrips(t);
    applyState(s.state);
    finishPrinting();
    drawQueue();
  }

  // ---- Connection -------------------------------------------------------------------------------
  let ws = null, backoff = 500;
  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${proto}//${location.host}/ws`);
    ws.onopen = () => { backoff = 500; $('conn').textContent = 'live'; $('conn').className = 'on'; };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch (_) { return; }
      if (msg.type === 'snapshot') onSnapshot(msg);
      else if (msg.type === 'frame') { for (const e of msg.events || []) onEvent(e, true); }
      else if (msg.type === 'event') onEvent(msg, true);
      else if (msg.type === 'state') applyState(msg);
      else if (msg.type === 'cable' && msg.cable) { precs[msg.cable.id] = msg.cable.precedence; if (msg.cable.codes) codes[msg.cable.id] = msg.cable.codes; souvenirFor(msg.cable); log(`${msg.cable.id} (${msg.cable.precedence}) handed in at ${msg.cable.origin} for ${(msg.cable.addressees || []).join(', ')}`); }
      else if (msg.type === 'end') log('— end of the replay; it starts again in a moment —');
      else if (msg.type === 'error') log(`(${msg.text})`);
    };
    ws.onclose = () => {
      $('conn').textContent = 'reconnecting…'; $('conn').className = 'off';
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
    ws.onerror = () => { try { ws.close(); } catch (_) { /* closing anyway */ } };
  }
  function send(obj) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(obj)); }

  document.querySelectorAll('[data-control]').forEach((b) => b.addEventListener('click', () => send({ type: b.dataset.control })));
  document.querySelectorAll('[data-speed]').forEach((b) => b.addEventListener('click', () => send({ type: 'speed', value: b.dataset.speed })));
  $('noise').addEventListener('click', () => send({ type: 'noise', on: !state.noise }));
  $('reply-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('reply').value.trim();
    if (text) { send({ type: 'reply', text, precedence: $('reply-prec').value }); replied = true; }
    $('reply').value = '';
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.target.tagName === 'INPUT') return;
    if (ev.key === ' ') { ev.preventDefault(); send({ type: state.paused ? 'resume' : 'pause' }); }
    else if (ev.key === 's') send({ type: 'step' });
    else if (ev.key === 'n') send({ type: 'noise', on: !state.noise });
    else if (ev.key === '1') send({ type: 'speed', value: '5x' });
    else if (ev.key === '2') send({ type: 'speed', value: '20x' });
    else if (ev.key === '3') send({ type: 'speed', value: '100x' });
    else if (ev.key === 'Escape') $('explain').classList.add('hidden');
  });
  connect();
})();
