// live/web/app.js: the roomsim web client. Joins a chat or dashboard room over
// WebSocket (docs/protocol.md), shows history and presence, reconnects with
// backoff and resumes from the last seq it saw ("reconnecting..." then
// "resumed N missed messages"), and renders dashboard data_update frames.
// Query parameters (?kind=&room=&name=&auto=1&say=TEXT&reply=1) prefill the
// form and let a headless browser test drive it.
'use strict';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = { ws: null, kind: 'chat', room: '', token: '', lastSeq: -1, epoch: -1, welcomed: false,
  attempts: 0, closedByUser: false, sessionId: null, said: false };

function status(text) { $('status').textContent = text; }

function line(text, cls, who) {
  const li = document.createElement('li');
  if (cls) li.className = cls;
  if (who) {
    const b = document.createElement('span');
    b.className = 'who';
    b.textContent = who;
    li.appendChild(b);
  }
  li.appendChild(document.createTextNode(text));
  $('messages').appendChild(li);
  $('messages').scrollTop = $('messages').scrollHeight;
}

function text_of(payload) {
  if (payload && typeof payload === 'object' && typeof payload.text === 'string') return payload.text;
  return JSON.stringify(payload);
}

function show_message(m) {
  if (typeof m.seq === 'number') {
    if (m.epoch !== state.epoch) { state.epoch = m.epoch; state.lastSeq = m.seq; }
    else state.lastSeq = Math.max(state.lastSeq, m.seq);
  }
  const text = text_of(m.payload);
  line(text, '', (m.name || m.userId || m.from || '?') + ':');
  // Test hook: echo what we saw so a headless test can observe it server-side.
  if (params.get('reply') === '1' && !text.startsWith('saw: ') && m.userId !== $('name').value) {
    send_text('saw: ' + text);
  }
}

function participants(list) {
  const ul = $('participants');
  ul.innerHTML = '';
  for (const p of list || []) {
    const li = document.createElement('li');
    li.textContent = p.name || p.userId || p.sessionId;
    ul.appendChild(li);
  }
}

function send_text(text) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return false;
  const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  state.ws.send(JSON.stringify({ type: 'broadcast', id, payload: { text } }));
  return true;
}

function on_frame(ev) {
  let f;
  try { f = JSON.parse(ev.data); } catch (e) { line('unreadable frame from server', 'warning'); return; }
  switch (f.type) {
    case 'welcome':
      state.sessionId = f.sessionId;
      participants(f.participants);
      if (state.welcomed && state.lastSeq >= 0) {
        state.ws.send(JSON.stringify({ type: 'resume', after: state.lastSeq, epoch: state.epoch }));
      } else if (typeof f.seq === 'number') {
        state.lastSeq = f.seq; state.epoch = f.epoch;
      }
      state.welcomed = true;
      status('connected to ' + state.kind + '/' + state.room + ' as ' + $('name').value);
      if (state.kind === 'dashboard') state.ws.send(JSON.stringify({ type: 'subscribe', keys: ['*'] }));
      if (params.get('say') && !state.said) { state.said = send_text(params.get('say')); }
      break;
    case 'history':
      for (const m of f.messages || []) show_message(m);
      if (f.messages && f.messages.length) line('(' + f.messages.length + ' earlier messages)', 'system');
      break;
    case 'resumed': {
      const n = (f.messages || []).length;
      for (const m of f.messages || []) show_message(m);
      if (f.recovered === false) {
        line('resumed ' + n + ' missed messages; messages ' + f.missedFrom + '..' + f.missedTo +
             ' are no longer kept', 'warning');
      } else {
        line('resumed ' + n + ' missed messages', 'system');
      }
      break;
    }
    case 'message': show_message(f); break;
    case 'direct': line(text_of(f.payload), 'system', '(direct) ' + (f.name || f.userId || f.from) + ':'); break;
    case 'user_joined': participants(f.participants); line((f.name || f.userId) + ' joined', 'system'); break;
    case 'user_left': participants(f.participants); line((f.name || f.userId) + ' left', 'system'); break;
    case 'snapshot': for (const [k, v] of Object.entries(f.data || {})) data_row(k, v, f.timestamp); break;
    case 'data_update': data_row(f.key, f.value, f.timestamp); break;
    case 'ping': state.ws.send(JSON.stringify({ type: 'pong', timestamp: f.timestamp })); break;
    case 'ack': break;
    case 'error': line('error ' + f.code + ': ' + f.message, 'warning'); break;
    default: break;
  }
}

function data_row(key, value, ts) {
  let row = document.querySelector('tr[data-key="' + CSS.escape(key) + '"]');
  if (!row) {
    row = document.createElement('tr');
    row.dataset.key = key;
    row.innerHTML = '<td></td><td></td><td></td>';
    row.children[0].textContent = key;
    $('data').appendChild(row);
  }
  row.children[1].textContent = typeof value === 'object' ? JSON.stringify(value) : String(value);
  row.children[2].textContent = new Date(ts || Date.now()).toLocaleTimeString();
  row.children[1].classList.add('flash');
  setTimeout(() => row.children[1].classList.remove('flash'), 400);
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = scheme + '//' + location.host + '/rooms/' + encodeURIComponent(state.kind) + '/' +
              encodeURIComponent(state.room) + '?token=' + encodeURIComponent(state.token);
  const ws = new WebSocket(url);
  state.ws = ws;
  ws.onmessage = on_frame;
  ws.onopen = () => { state.attempts = 0; };
  ws.onclose = (ev) => {
    if (state.ws !== ws || state.closedByUser) return;
    if (!state.welcomed && ev.code === 1006 && state.attempts === 0) {
      line('could not join (bad token, full room, or server down)', 'warning');
    }
    if (ev.code === 1008 || ev.code === 1009) { status('closed by server: ' + ev.code + ' ' + ev.reason); return; }
    const delay = Math.min(5000, 250 * 2 ** state.attempts) * (0.75 + Math.random() * 0.5);
    state.attempts++;
    status('reconnecting...');
    line('reconnecting... (' + (ev.code || 'lost') + ')', 'system');
    setTimeout(connect, delay);
  };
}

async function dev_token(name) {
  try {
    const r = await fetch('/dev/token?user=' + encodeURIComponent(name.toLowerCase().replace(/[^a-z0-9_-]/g, '-')) +
                          '&name=' + encodeURIComponent(name));
    if (!r.ok) return null;
    return (await r.json()).token;
  } catch (e) { return null; }
}

async function join(ev) {
  if (ev) ev.preventDefault();
  state.kind = $('kind').value;
  state.room = $('room').value;
  const name = $('name').value.trim();
  if (!name) return;
  state.token = $('token').value.trim() || await dev_token(name) || '';
  if (!state.token && state.kind !== 'dashboard') {
    status('no token: start the server with --dev, or paste one from `roomsim token`');
    return;
  }
  $('join-form').classList.add('hidden');
  $(state.kind === 'dashboard' ? 'dashboard' : 'chat').classList.remove('hidden');
  status('connecting...');
  connect();
}

$('join-form').addEventListener('submit', join);
$('send-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('input').value;
  if (text && send_text(text)) $('input').value = '';
});
for (const [param, id] of [['kind', 'kind'], ['room', 'room'], ['name', 'name'], ['token', 'token']]) {
  if (params.get(param)) $(id).value = params.get(param);
}
fetch('/dev/token?user=probe').then((r) => { if (r.ok) $('token-label').classList.add('hidden'); }).catch(() => {});
if (params.get('auto') === '1') join();
