(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var detail = document.getElementById('detail');
  var detailBody = document.getElementById('detail-body');
  document.getElementById('detail-close').addEventListener('click', function () { detail.hidden = true; });
  var KINDS = ['use', 'grant', 'administer'];
  var LETTER = { use: 'U', grant: 'G', administer: 'A' };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function kindOf(actionIndex) {
    var a = data.actions[actionIndex];
    if (a === 'kms:CreateGrant') { return 'grant'; }
    if (a === 'kms:Decrypt' || a === 'kms:Encrypt' || a === 'kms:GenerateDataKey') { return 'use'; }
    return 'administer';
  }
  function summarize(edge) {
    var has = {}, uncond = {};
    edge[3].forEach(function (ans) {
      var k = kindOf(ans[0]);
      has[k] = true;
      if (!ans[1]) { uncond[k] = true; }
    });
    var kinds = KINDS.filter(function (k) { return has[k]; });
    var strongest = kinds[kinds.length - 1];
    return { kinds: kinds, strongest: strongest, conditional: !uncond[strongest] };
  }
  function describe(edge) {
    var p = data.principals[edge[0]], k = data.keys[edge[1]];
    var lines = [p[0], '→ ' + k[0]];
    if (edge[2] & 2) { lines.push('(from outside the key\'s organization)'); }
    else if (edge[2] & 1) { lines.push('(cross-account)'); }
    edge[3].forEach(function (ans) {
      lines.push('');
      lines.push(data.actions[ans[0]] + (ans[1] ? ' — only under conditions' : ' — allowed'));
      ans[2].forEach(function (s) { lines.push('  by ' + data.strings[s]); });
      ans[3].forEach(function (s, i) { lines.push((i ? '  or when ' : '  when ') + data.strings[s]); });
    });
    return lines.join('\n');
  }
  function show(title, text) {
    detailBody.textContent = '';
    detailBody.appendChild(el('h3', null, title));
    detailBody.appendChild(el('pre', null, text));
    detail.hidden = false;
  }

  // ---- the matrix (or, for large worlds, a filtered list)
  var box = document.getElementById('matrix-box');
  var filterInput = document.getElementById('filter');
  var filterCount = document.getElementById('filter-count');
  var LIST_LIMIT = 300;

  function cellText(s) { return s.kinds.map(function (k) { return LETTER[k]; }).join(''); }
  function cellClass(edge, s) {
    return 'c ' + s.strongest + (s.conditional ? ' cond' : '') + (edge[2] & 2 ? ' outside' : edge[2] & 1 ? ' cross' : '');
  }
  function titleOf(edge) {
    return edge[3].map(function (a) { return data.actions[a[0]] + (a[1] ? ' (conditional)' : ''); }).join(', ');
  }

  function renderMatrix() {
    if (!data.principals) { return; }
    var table = el('table', { 'class': 'matrix' });
    var head = el('tr');
    head.appendChild(el('th', null, ''));
    data.keys.forEach(function (k, i) {
      var th = el('th', { 'class': 'k', title: k[0], 'data-key': String(i) }, k[2]);
      head.appendChild(th);
    });
    table.appendChild(head);
    var byPair = {};
    data.edges.forEach(function (e) { byPair[e[0] + ' ' + e[1]] = e; });
    data.principals.forEach(function (p, pi) {
      var tr = el('tr', { 'data-principal': String(pi), 'data-text': (p[0] + ' ' + p[1]).toLowerCase() });
      tr.appendChild(el('th', { 'class': 'p', title: p[0] }, p[2] + ' (' + p[1] + ')'));
      data.keys.forEach(function (k, ki) {
        var e = byPair[pi + ' ' + ki];
        if (!e) { tr.appendChild(el('td')); return; }
        var s = summarize(e);
        var td = el('td', { 'class': cellClass(e, s), title: titleOf(e), 'data-edge': String(data.edges.indexOf(e)) },
          cellText(s));
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    table.addEventListener('click', function (ev) {
      var td = ev.target.closest('td[data-edge]');
      if (td) { var e = data.edges[+td.getAttribute('data-edge')]; show(data.principals[e[0]][2] + ' → ' + data.keys[e[1]][2], describe(e)); }
    });
    box.appendChild(table);
  }

  var listBody = null, listNote = null;
  function renderList() {
    var table = el('table', { 'class': 'list matrix' });
    var head = el('tr');
    ['principal', 'account', 'key', 'key account', 'access', 'actions'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    listBody = el('tbody');
    table.appendChild(listBody);
    listNote = el('p', { 'class': 'hint' });
    box.appendChild(listNote);
    box.appendChild(table);
    table.addEventListener('click', function (ev) {
      var td = ev.target.closest('[data-edge]');
      if (td) { var e = data.edges[+td.getAttribute('data-edge')]; show(data.principals[e[0]][2] + ' → ' + data.keys[e[1]][2], describe(e)); }
    });
    fillList('');
  }
  function fillList(q) {
    listBody.textContent = '';
    var shown = 0, matched = 0;
    for (var i = 0; i < data.edges.length; i++) {
      var e = data.edges[i], p = data.principals[e[0]], k = data.keys[e[1]];
      if (q && (p[0] + ' ' + p[1] + ' ' + k[0] + ' ' + k[1] + ' ' + k[2]).toLowerCase().indexOf(q) < 0) { continue; }
      matched++;
      if (shown >= LIST_LIMIT) { continue; }
      shown++;
      var s = summarize(e);
      var tr = el('tr');
      tr.appendChild(el('td', { title: p[0] }, p[2]));
      tr.appendChild(el('td', null, p[1]));
      tr.appendChild(el('td', { title: k[0] }, k[2]));
      tr.appendChild(el('td', null, k[1]));
      tr.appendChild(el('td', { 'class': cellClass(e, s), 'data-edge': String(i) }, cellText(s)));
      tr.appendChild(el('td', null, titleOf(e)));
      listBody.appendChild(tr);
    }
    listNote.textContent = matched + ' pairs with access' + (q ? ' match “' + q + '”' : '') +
      (matched > shown ? '; the first ' + shown + ' are listed, narrow the filter to see others' : '');
  }

  // ---- the graph: selection and filter
  var svg = document.querySelector('#graph-box svg');
  function applyFilter(q) {
    q = q.trim().toLowerCase();
    var nodes = svg ? svg.querySelectorAll('.node') : [];
    var visible = 0;
    nodes.forEach(function (n) {
      var text = (n.getAttribute('data-id') + ' ' + n.textContent).toLowerCase();
      var hit = !q || text.indexOf(q) >= 0;
      n.classList.toggle('dim', !hit);
      if (hit) { visible++; }
    });
    if (svg) {
      svg.querySelectorAll('.link').forEach(function (l) {
        var from = svg.querySelector('.node[data-id="' + CSS.escape(l.getAttribute('data-from')) + '"]');
        var to = svg.querySelector('.node[data-id="' + CSS.escape(l.getAttribute('data-to')) + '"]');
        l.classList.toggle('dim', !!q && from.classList.contains('dim') && to.classList.contains('dim'));
      });
    }
    filterCount.textContent = q ? visible + ' of ' + nodes.length + ' nodes match' : '';
    if (data.collapsed) { fillList(q); }
    else {
      box.querySelectorAll('tr[data-principal]').forEach(function (tr) {
        tr.hidden = !!q && tr.getAttribute('data-text').indexOf(q) < 0 && !Array.prototype.some.call(
          tr.querySelectorAll('td[data-edge]'), function (td) {
            var e = data.edges[+td.getAttribute('data-edge')];
            return (data.keys[e[1]][0] + ' ' + data.keys[e[1]][2]).toLowerCase().indexOf(q) >= 0;
          });
      });
    }
  }
  if (filterInput) { filterInput.addEventListener('input', function () { applyFilter(filterInput.value); }); }
  if (svg) {
    svg.addEventListener('click', function (ev) {
      var n = ev.target.closest('.node');
      if (!n) { return; }
      var id = n.getAttribute('data-id');
      svg.querySelectorAll('.node.sel').forEach(function (x) { x.classList.remove('sel'); });
      n.classList.add('sel');
      svg.querySelectorAll('.link').forEach(function (l) {
        l.classList.toggle('hl', l.getAttribute('data-from') === id || l.getAttribute('data-to') === id);
      });
      if (data.collapsed && id.indexOf('account:') === 0) {
        filterInput.value = id.substring('account:'.length);
        applyFilter(filterInput.value);
        return;
      }
      var t = n.querySelector('title');
      show(n.querySelector('text').textContent, t ? t.textContent : id);
    });
  }
  if (data.principals) { if (data.collapsed) { renderList(); } else { renderMatrix(); } }
  // printing shows every key's details
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
document.body.dataset.ready = '1';
