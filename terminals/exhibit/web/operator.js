// The operator page: shows what the exhibit is doing and sends the operator's settings
// ({"type":"operator", …}) over the same WebSocket as the kiosk. Plain JS, no libraries.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  let ws = null, backoff = 500, offered = [], paused = false, awaiting = false;
  let shownCable = '', canPrint = false;

  function fillScenarios(op) {
    offered = op.scenarios || [];
    const sel = $('scenario');
    sel.innerHTML = '';
    for (const s of offered) {
      const o = document.createElement('option');
      o.value = s.name;
      o.textContent = s.title ? `${s.name}: ${s.title}` : s.name;
      sel.appendChild(o);
    }
    sel.value = op.scenario;
    fillCables(op.scenario, op.cables || []);
    $('speed').value = op.speed;
    if ($('speed').value !== op.speed) {
      const o = document.createElement('option'); o.value = op.speed; o.textContent = op.speed; $('speed').appendChild(o); $('speed').value = op.speed;
    }
    $('noise').checked = !!op.noise;
    $('idle').value = op.idle_reset;
    $('token-row').classList.toggle('hidden', !op.token_required);
    canPrint = !!op.souvenir_print;
    $('print-souvenir').disabled = !canPrint;
    if (!canPrint) souvenirStatus('no printer configured (--souvenir-printer)', false);
    else if ($('souvenir-status').textContent === '–') souvenirStatus('ready', true);
  }
  function souvenirStatus(text, ok) {
    $('souvenir-status').textContent = text;
    $('souvenir-status').className = ok ? 'ok' : 'error';
  }
  function fillCables(name, chosen) {
    const box = $('cables');
    box.querySelectorAll('label').forEach((l) => l.remove());
    const s = offered.find((x) => x.name === name);
    for (const id of (s ? s.cables : [])) {
      const l = document.createElement('label');
      const c = document.createElement('input');
      c.type = 'checkbox'; c.value = id; c.checked = chosen.includes(id);
      l.appendChild(c);
      l.appendChild(document.createTextNode(id.replace(/0/g, 'Ø')));
      box.appendChild(l);
    }
  }
  // What the chosen scenario lacks, and how to add it (worded here: the visitors' screens get
  // the same snapshot and only ever see the data).
  function showTexts(op) {
    const missing = op.missing || [];
    const el = $('texts');
    el.className = missing.length ? 'warn' : 'ok';
    if (!missing.length) { el.textContent = 'Every cable of the scenario has its text.'; return; }
    const names = missing.map((m) => (m.document ? `${m.cable} (FRUS 1969–1976 vol. E-13 doc ${m.document.replace(/^d/, '')})` : m.cable));
    el.textContent = `Not on this machine: the texts of ${names.join(', ')}. ` +
      'Without them the attract loop plays the cables it has in full; a cable ticked below without ' +
      'its text runs with its real header and timing and a caption for visitors saying where the ' +
      'text is published. To add the texts, run "hakto frus fetch" as the user the exhibit runs ' +
      'as (for the service: sudo -u hakto hakto frus fetch --data-dir /var/lib/hakto) and restart ' +
      'the exhibit, or start it with --frus and the volume\'s TEI file.';
  }
  $('scenario').addEventListener('change', () => fillCables($('scenario').value, []));

  function showState(s) {
    if (!s) return;
    $('now-run').textContent = s.run;
    $('now-mode').textContent = s.mode + (s.paused ? ' (paused)' : '');
    $('now-stage').textContent = `${s.cable || '–'} ${s.stage || ''}`;
    if (s.cable) shownCable = s.cable;
    if (s.utc_ms) showTime(s.utc_ms);
    $('now-speed').textContent = `${s.speed}, noise ${s.noise ? 'on' : 'off'}`;
    $('now-viewers').textContent = s.viewers;
    paused = !!s.paused;
    $('pause').textContent = paused ? 'Resume' : 'Pause';
  }
  function showTime(ms) {
    $('now-utc').textContent = new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  // Frames of events: the time and the stage as they go.
  function onFrame(events) {
    for (const e of events) {
      if (e.kind === 'stage' && e.stage) $('now-stage').textContent = `${e.cable || ''} ${e.stage}`;
      if (e.kind === 'stage' && e.cable) shownCable = e.cable;
    }
    if (events.length && events[events.length - 1].utc_ms) showTime(events[events.length - 1].utc_ms);
  }
  function result(text, ok) {
    $('result').textContent = text;
    $('result').className = ok ? 'ok' : 'error';
  }

  function connect() {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
    ws.onopen = () => { backoff = 500; $('conn').textContent = 'connected'; $('conn').className = 'on'; };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch (_) { return; }
      if (msg.type === 'snapshot') {
        showState(msg.state);
        if (msg.operator) { fillScenarios(msg.operator); showTexts(msg.operator); }
        if (awaiting) { awaiting = false; result('Applied: the exhibit has started again with these settings.', true); }
      } else if (msg.type === 'state') showState(msg);
      else if (msg.type === 'frame') onFrame(msg.events || []);
      else if (msg.type === 'operator_status') souvenirStatus(msg.text, !!msg.ok);
      else if (msg.type === 'error') { awaiting = false; result(msg.text, false); }
    };
    ws.onclose = () => {
      $('conn').textContent = 'reconnecting…'; $('conn').className = 'off';
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
    ws.onerror = () => { try { ws.close(); } catch (_) { /* closing anyway */ } };
  }
  function send(obj) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(obj)); else result('not connected', false); }

  $('settings').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const cables = [...$('cables').querySelectorAll('input:checked')].map((c) => c.value);
    const msg = { type: 'operator', scenario: $('scenario').value, cables, speed: $('speed').value,
                  noise: $('noise').checked, idle_reset: Number($('idle').value) };
    if (!$('token-row').classList.contains('hidden')) msg.token = $('token').value;
    awaiting = true;
    result('…', true);
    send(msg);
  });
  // The print goes to the operator's control path; how it went comes back to this page alone.
  $('print-souvenir').addEventListener('click', () => {
    if (!canPrint) return;
    const msg = { type: 'operator', command: 'print_souvenir', cable: shownCable };
    if (!$('token-row').classList.contains('hidden')) msg.token = $('token').value;
    souvenirStatus('…', true);
    send(msg);
  });
  $('pause').addEventListener('click', () => send({ type: paused ? 'resume' : 'pause' }));
  $('restart').addEventListener('click', () => send({ type: 'start' }));
  connect();
})();
