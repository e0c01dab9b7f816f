/**
 * The log viewer's behaviour, served as /logs/viewer.js. Plain browser JavaScript with no
 * dependencies. Log content is untrusted (it echoes request paths and error messages), so it
 * only ever reaches the page through textContent, never innerHTML.
 */
export const LOG_VIEWER_JS = String.raw`(function () {
  'use strict';
  var REFRESH_MS = 30000;
  var FIXED = { timestamp: 1, level: 1, logger: 1, event: 1, line_number: 1, raw_line: 1 };
  var state = { page: 1, file: '' };
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function setStatus(message, isError) {
    var s = $('status');
    s.textContent = message || '';
    s.className = isError ? 'error' : '';
  }
  function encodePath(p) { return p.split('/').map(encodeURIComponent).join('/'); }
  function short(v, max) {
    var s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
  }
  async function getJson(url) {
    var res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    var body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      var msg = body && body.error && body.error.message ? body.error.message : 'HTTP ' + res.status;
      throw new Error(msg);
    }
    return body;
  }

  async function loadFiles() {
    var data = await getJson('/logs/files');
    var select = $('file');
    var names = data.files.map(function (f) { return f.path; });
    select.textContent = '';
    data.files.forEach(function (f) {
      var o = el('option', '', f.name + '  (' + Math.max(1, Math.round(f.size / 1024)) + ' KB, ' + new Date(f.modified).toLocaleString() + ')');
      o.value = f.path;
      select.appendChild(o);
    });
    if (names.indexOf(state.file) < 0) state.file = names[0] || '';
    select.value = state.file;
    if (!data.file_logging) setStatus('File logging is off on this server (LOG_FILE_PATH is empty).', true);
    else if (!names.length) setStatus('No log files yet.', false);
    return names.length > 0;
  }

  async function loadEntries() {
    if (!state.file) { render({ entries: [], pagination: { current_page: 1, total_pages: 0, total_entries: 0 } }); return; }
    var q = new URLSearchParams({ page: String(state.page), per_page: $('perPage').value });
    if ($('level').value) q.set('level', $('level').value);
    if ($('search').value.trim()) q.set('search', $('search').value.trim());
    setStatus('Loading\u2026', false);
    var data = await getJson('/logs/entries/' + encodePath(state.file) + '?' + q.toString());
    render(data);
    setStatus('', false);
  }

  async function refresh(reloadFiles) {
    try {
      if (reloadFiles) await loadFiles();
      await loadEntries();
    } catch (e) {
      setStatus('Could not load logs: ' + e.message, true);
    }
  }

  function render(data) {
    var list = $('entries');
    list.textContent = '';
    var p = data.pagination;
    var errors = 0, warnings = 0;
    data.entries.forEach(function (e) {
      if (e.level === 'error' || e.level === 'critical') errors++;
      if (e.level === 'warning') warnings++;
      list.appendChild(renderEntry(e));
    });
    if (!data.entries.length) list.appendChild(el('div', 'empty', 'No entries match.'));
    $('statTotal').textContent = String(p.total_entries);
    $('statPage').textContent = p.current_page + ' / ' + Math.max(1, p.total_pages);
    $('statErrors').textContent = String(errors);
    $('statWarnings').textContent = String(warnings);
    $('statUpdated').textContent = new Date().toLocaleTimeString();
    renderPagination(p);
  }

  function renderEntry(e) {
    var card = el('article', 'entry lvl-' + String(e.level).replace(/[^a-z]/g, ''));
    var head = el('div', 'head');
    head.appendChild(el('span', 'time', e.timestamp ? new Date(e.timestamp).toLocaleString() : 'line ' + e.line_number));
    head.appendChild(el('span', 'badge level', e.level));
    if (e.logger) head.appendChild(el('span', 'badge', e.logger));
    head.appendChild(el('span', 'event', e.event || '(no message)'));
    var toggle = el('button', 'toggle', '{ } JSON');
    toggle.type = 'button';
    toggle.title = 'Show the whole entry as JSON';
    toggle.setAttribute('aria-expanded', 'false');
    head.appendChild(toggle);
    card.appendChild(head);

    var kv = el('div', 'kv');
    Object.keys(e).filter(function (k) { return !FIXED[k]; }).slice(0, 14).forEach(function (k) {
      kv.appendChild(el('span', 'badge', k + '=' + short(e[k], 80)));
    });
    if (kv.childNodes.length) card.appendChild(kv);

    var pre = null;
    toggle.addEventListener('click', function () {
      if (pre) { pre.remove(); pre = null; toggle.setAttribute('aria-expanded', 'false'); return; }
      var copy = {};
      Object.keys(e).forEach(function (k) { if (k !== 'raw_line') copy[k] = e[k]; });
      pre = el('pre', '', JSON.stringify(copy, null, 2));
      card.appendChild(pre);
      toggle.setAttribute('aria-expanded', 'true');
    });
    return card;
  }

  function pageList(current, total) {
    var pages = [];
    for (var i = 1; i <= total; i++) {
      if (i === 1 || i === total || Math.abs(i - current) <= 2) pages.push(i);
      else if (pages[pages.length - 1] !== 0) pages.push(0);
    }
    return pages;
  }

  function renderPagination(p) {
    var nav = $('pagination');
    nav.textContent = '';
    if (p.total_pages <= 1) return;
    function button(label, page, current) {
      var b = el('button', '', label);
      b.type = 'button';
      if (current) b.setAttribute('aria-current', 'page');
      if (page === null) b.disabled = true;
      else b.addEventListener('click', function () { state.page = page; refresh(false); });
      return b;
    }
    nav.appendChild(button('\u2039 Prev', p.has_previous ? p.current_page - 1 : null));
    pageList(p.current_page, p.total_pages).forEach(function (n) {
      nav.appendChild(n === 0 ? el('span', 'gap', '\u2026') : button(String(n), n, n === p.current_page));
    });
    nav.appendChild(button('Next \u203a', p.has_next ? p.current_page + 1 : null));
  }

  $('filters').addEventListener('submit', function (ev) { ev.preventDefault(); state.page = 1; refresh(false); });
  $('clearBtn').addEventListener('click', function () {
    $('search').value = '';
    $('level').value = '';
    state.page = 1;
    refresh(false);
  });
  ['level', 'perPage'].forEach(function (id) {
    $(id).addEventListener('change', function () { state.page = 1; refresh(false); });
  });
  $('file').addEventListener('change', function () { state.file = $('file').value; state.page = 1; refresh(false); });
  $('refreshBtn').addEventListener('click', function () { refresh(true); });
  setInterval(function () {
    if ($('auto').checked && document.visibilityState === 'visible') refresh(true);
  }, REFRESH_MS);
  refresh(true);
})();
`;
