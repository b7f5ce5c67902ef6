// spyglass dashboard: plain JavaScript and SVG, no libraries. Every number comes from the API.
'use strict';

const VERTICALS = ['tech', 'software', 'cloud_hosting', 'semiconductors', 'ai_research', 'telecom',
  'hardware_electronics', 'other_tech', 'government', 'defence', 'finance', 'energy', 'health',
  'transportation', 'manufacturing', 'education', 'research', 'media', 'civil_society', 'water',
  'chemicals', 'food', 'space', 'retail', 'other'];
const POLICIES = {
  state_only: { state_only: 'true' },
  kb_fill: { kb_sponsors: 'fill' },
  text_fill: { text_sponsors: 'fill' },
  structured_only: { structured_only: 'true' },
  include_exercises: { include_exercises: 'true' },
  no_collapse: { no_collapse: 'true' },
};
const SVGNS = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
let generation = 0;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== undefined && v !== null) qs.set(k, v);
  const url = '/api/v1' + path + (qs.toString() ? '?' + qs : '');
  const headers = {};
  const token = localStorage.getItem('spyglass-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(url, { headers });
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail || detail; } catch (_) { /* not JSON */ }
    if (r.status === 401) $('token-form').hidden = false;
    throw new ApiError(r.status, detail);
  }
  return r.json();
}

function pct(x) { return x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '%'; }

function filterParams() {
  const f = $('filters');
  const p = {
    vertical: f.vertical.value,
    asset: f.asset.value,
    since: f.since.value,
    until: f.until.value,
  };
  if (f.state_sponsored.checked) p.state_sponsored = 'true';
  Object.assign(p, POLICIES[f.policy.value] || {});
  return p;
}

// ---- charts ---------------------------------------------------------------------------------

function shareChart(box, result) {
  box.replaceChildren();
  const rows = (result.rows || []).slice(0, 12);
  box.dataset.signature = JSON.stringify([result.n, rows.map((r) => [r.key, r.count])]);
  if (result.suppressed || rows.length === 0) {
    box.append(el('p', { class: 'muted' }, result.suppressed ? `n = ${result.n}: fewer than 5 incidents, rows withheld` : 'no incidents'));
    return;
  }
  const W = 560, rowH = 22, left = 70, right = 150, top = 6;
  const H = top + rows.length * rowH + 20;
  const max = Math.max(...rows.map((r) => (r.ci_high === null ? r.share || 0 : r.ci_high)), 0.01);
  const x = (v) => left + (W - left - right) * (v / max);
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'share by sponsor' });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    s.append(svg('text', { x: left - 6, y: y + 14, 'text-anchor': 'end' }, r.key));
    s.append(svg('rect', { class: 'bar', x: left, y: y + 3, width: Math.max(1, x(r.share || 0) - left), height: rowH - 8, 'data-key': r.key },
      svg('title', {}, `${r.key}: ${r.count} of ${result.n} (${pct(r.share)}, 95% CI ${pct(r.ci_low)}–${pct(r.ci_high)})`)));
    if (r.ci_low !== null && r.ci_high !== null) {
      const cy = y + rowH / 2 - 1;
      s.append(svg('line', { class: 'ci', x1: x(r.ci_low), x2: x(r.ci_high), y1: cy, y2: cy }));
      s.append(svg('line', { class: 'ci', x1: x(r.ci_low), x2: x(r.ci_low), y1: cy - 4, y2: cy + 4 }));
      s.append(svg('line', { class: 'ci', x1: x(r.ci_high), x2: x(r.ci_high), y1: cy - 4, y2: cy + 4 }));
    }
    s.append(svg('text', { x: W - right + 8, y: y + 14 }, `${r.count}  ${pct(r.share)} [${pct(r.ci_low)}, ${pct(r.ci_high)}]`));
  });
  s.append(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: H - 18 }));
  s.append(svg('text', { x: left, y: H - 4 }, '0%'));
  s.append(svg('text', { x: W - right, y: H - 4, 'text-anchor': 'end' }, pct(max)));
  box.append(s);
}

function trendChart(box, result) {
  box.replaceChildren();
  const rows = result.rows || [];
  box.dataset.signature = JSON.stringify(rows.map((r) => [r.period, r.count]));
  if (rows.length === 0) { box.append(el('p', { class: 'muted' }, 'no dated incidents')); return; }
  const W = 560, H = 220, left = 40, right = 10, top = 10, bottom = 30;
  const max = Math.max(...rows.map((r) => r.count), 1);
  const x = (i) => left + (rows.length === 1 ? (W - left - right) / 2 : (W - left - right) * i / (rows.length - 1));
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'incidents per period' });
  for (const t of [0, max / 2, max]) {
    s.append(svg('line', { class: 'axis', x1: left, x2: W - right, y1: y(t), y2: y(t) }));
    s.append(svg('text', { x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, Math.round(t)));
  }
  s.append(svg('polyline', { class: 'line', points: rows.map((r, i) => `${x(i)},${y(r.count)}`).join(' ') }));
  const every = Math.max(1, Math.ceil(rows.length / 10));
  rows.forEach((r, i) => {
    s.append(svg('circle', { class: 'dot', cx: x(i), cy: y(r.count), r: r.excluded ? 2 : 3 },
      svg('title', {}, `${r.period}: ${r.count}${r.excluded ? ' (partial period, not fitted)' : ''}`)));
    if (i % every === 0) s.append(svg('text', { x: x(i), y: H - 10, 'text-anchor': 'middle' }, r.period));
  });
  box.append(s);
  const m = result.model;
  $('trend-note').textContent = m && m.irr !== null
    ? `(${m.family}: ×${m.irr.toFixed(2)} per period, 95% CI ${m.irr_ci_low.toFixed(2)}–${m.irr_ci_high.toFixed(2)}, p = ${m.p_value.toPrecision(2)})`
    : '';
}

// The report's own charts (server-rendered SVG), parsed as SVG documents and adopted into the page.
async function reportCharts(params, gen) {
  const box = $('report-charts');
  try {
    const c = await api('/report/charts', params);
    if (gen !== generation) return;
    const parts = [];
    for (const k of ['share', 'trend', 'heatmap']) {
      const doc = new DOMParser().parseFromString(c[k], 'image/svg+xml');
      const root = doc.documentElement;
      if (root.nodeName !== 'svg') continue;
      root.querySelectorAll('script, foreignObject').forEach((n) => n.remove());
      parts.push(el('div', { class: 'report-chart', 'data-chart': k }, document.importNode(root, true)));
    }
    box.replaceChildren(...parts);
    box.dataset.signature = JSON.stringify([c.n, c.slice]);
  } catch (e) {
    if (gen === generation) box.replaceChildren(el('p', { class: 'muted' }, e.message));
  }
}

// ---- incidents ------------------------------------------------------------------------------

function tlpBadge(t) { return t ? el('span', { class: 'tlp tlp-' + t }, 'TLP:' + t.toUpperCase()) : ''; }

function incidentTable(result) {
  const body = $('incidents').tBodies[0];
  body.replaceChildren();
  $('incidents-total').textContent = `(${result.total} in the slice${result.total > result.incidents.length ? `, newest ${result.incidents.length} shown` : ''})`;
  body.dataset.signature = JSON.stringify([result.total, result.incidents.map((i) => i.incident_id)]);
  for (const inc of result.incidents) {
    body.append(el('tr', { onclick: () => showIncident(inc.incident_id), 'data-id': inc.incident_id },
      el('td', {}, inc.start_date || '–'),
      el('td', {}, el('strong', {}, inc.title || inc.incident_id), el('div', { class: 'muted small' }, inc.incident_id)),
      el('td', {}, inc.sponsors.join(', ')),
      el('td', {}, inc.verticals.join(', ')),
      el('td', {}, inc.assets.join(', ')),
      el('td', {}, inc.actors.join(', ')),
      el('td', {}, tlpBadge(inc.tlp))));
  }
  if (result.incidents.length === 0) body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'no incidents in this slice')));
}

function dl(pairs) {
  return el('dl', {}, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v instanceof Node ? v : Array.isArray(v) ? v.join(', ') : String(v))]));
}

function evidence(text) { return text ? el('span', { class: 'evidence' }, text) : null; }

async function showIncident(id) {
  const box = $('incident-detail');
  box.hidden = false;
  box.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
  try {
    const d = await api('/incidents/' + encodeURIComponent(id));
    const parts = [el('h3', {}, id, ' ', d.canonical_id !== id ? `(counted as ${d.canonical_id})` : '')];
    parts.push(dl([['sponsors (policy)', d.labels.sponsors], ['verticals', d.labels.verticals], ['AI assets', d.labels.assets],
      ['actors', d.labels.actors], ['same operation as', d.same_as.filter((x) => x !== id)]]));
    for (const r of d.records) {
      parts.push(el('h3', {}, r.title || '(untitled)', ' ', tlpBadge(r.tlp)));
      parts.push(dl([['source', r.source_id], ['record', r.record_ref], ['dates', [r.start_date, r.end_date].filter(Boolean).join(' – ')],
        ['types', r.types_raw || r.types], ['description', r.description], ['batch', r.batch_id]]));
    }
    for (const a of d.attributions) {
      parts.push(el('h3', {}, 'Attribution'));
      parts.push(dl([['actor', a.actor_raw], ['sponsor', a.sponsor || a.sponsor_raw], ['sponsorship', a.sponsorship_raw || a.sponsorship],
        ['attributed by', a.attributed_by], ['confidence', a.confidence], ['method', a.method], ['evidence', evidence(a.basis)],
        ['source', `${a.source_id} ${a.record_ref}`]]));
    }
    for (const v of d.victims) {
      parts.push(el('h3', {}, 'Victim'));
      parts.push(dl([['name', v.name], ['country', v.country || v.country_raw], ['vertical', v.vertical], ['category', v.method === 'text' ? evidence(v.category) : v.category],
        ['method', v.method], ['source', `${v.source_id} ${v.record_ref}`]]));
    }
    for (const a of d.assets) {
      parts.push(el('h3', {}, 'AI asset'));
      parts.push(dl([['category', a.category], ['evidence', evidence(a.evidence)], ['method', a.method], ['source', `${a.source_id} ${a.record_ref}`]]));
    }
    box.replaceChildren(...parts);
  } catch (e) {
    box.replaceChildren(el('p', { class: 'muted' }, e.message));
  }
}

// ---- actors ---------------------------------------------------------------------------------

async function lookupActor(ev) {
  ev.preventDefault();
  const name = $('actor-name').value.trim();
  const out = $('actor-result');
  if (!name) return;
  try {
    const [r] = await api('/actors/resolve', { name });
    const parts = [dl([['query', r.query], ['actor', r.actor ? `${r.actor.name} (${r.actor.id})` : 'not resolved'],
      ['sponsor', r.sponsor], ['sponsorship', r.sponsorship], ['confidence', r.confidence], ['basis', r.basis],
      ['aliases', r.aliases.map((a) => a.vendor ? `${a.name} (${a.vendor})` : a.name)],
      ['conflicts', r.conflicts.map((c) => c.detail)]])];
    out.replaceChildren(...parts);
  } catch (e) {
    out.replaceChildren(el('p', { class: 'muted' }, e.message));
  }
}

// ---- refresh --------------------------------------------------------------------------------

async function refresh() {
  const gen = ++generation;
  document.body.dataset.loading = '1';
  $('message').textContent = '';
  const f = $('filters');
  const p = filterParams();
  const sponsor = f.sponsor.value;
  try {
    const [share, trend, incidents] = await Promise.all([
      api('/findings/share', { ...p, by: 'sponsor', sponsor }),
      api('/findings/trend', { ...p, by: 'year', sponsor }),
      api('/incidents', { ...p, sponsor, limit: 50 }),
    ]);
    reportCharts({ ...p, sponsor }, gen);
    if (gen !== generation) return;
    $('share-n').textContent = `(n = ${share.n})`;
    $('share-note').textContent = [share.method.low_n ? 'low n: read with care.' : '', ...(share.method.warnings || [])].filter(Boolean).join(' ');
    shareChart($('chart-share'), share);
    trendChart($('chart-trend'), trend);
    incidentTable(incidents);
    $('policy-text').textContent = 'Policy: ' + share.method.policy_text + ' · slice: ' + share.method.slice;
  } catch (e) {
    if (gen !== generation) return;
    $('message').textContent = e.message;
  } finally {
    if (gen === generation) {
      delete document.body.dataset.loading;
      document.body.dataset.generation = String(gen);
    }
  }
}

async function load() {
  try {
    const st = await api('/status');
    $('who').textContent = `${st.role}, TLP clearance ${st.tlp_clearance ? st.tlp_clearance.toUpperCase() : 'RED (store owner)'} · ${st.authentication}`;
    const sponsors = await api('/findings/share', { by: 'sponsor', state_sponsored: 'true' }).catch(() => ({ rows: [] }));
    const ssel = $('f-sponsor');
    ssel.replaceChildren(el('option', { value: '' }, 'all'));
    for (const r of sponsors.rows || []) if (/^[A-Z]{2}$/.test(r.key)) ssel.append(el('option', { value: r.key }, `${r.key} (${r.count})`));
  } catch (e) {
    $('message').textContent = e.message;
    return;
  }
  await refresh();
}

function setup() {
  const vsel = $('f-vertical');
  for (const v of VERTICALS) vsel.append(el('option', { value: v }, v === 'tech' ? 'every technology vertical' : v.replace(/_/g, ' ')));
  $('filters').addEventListener('change', refresh);
  $('actor-form').addEventListener('submit', lookupActor);
  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    localStorage.setItem('spyglass-token', $('token').value.trim());
    $('token-form').hidden = true;
    load();
  });
  load();
}

setup();
