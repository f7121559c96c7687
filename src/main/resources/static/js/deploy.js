// Follows one deploy order (cloudapps/deploy.html): polls its status URL every 2 s and updates the status, the
// servers and each server's logs, until the order has ended. Data goes in through textContent only.
(function () {
  const facts = document.getElementById('deploy');
  if (!facts || facts.dataset.live !== 'true') { return; }
  const url = facts.dataset.statusUrl;
  const logs = document.getElementById('deploy-logs');
  const ACTIVE = ['WAITING', 'RUNNING'];
  const KINDS = ['xdeploy', 'stdout', 'stderr'];
  let lastLogs = null;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function time(instant) {
    if (!instant) { return '-'; }
    const d = new Date(instant);
    const p = n => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' '
      + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }

  function renderFacts(order) {
    const badge = document.getElementById('deploy-status');
    badge.className = 'badge status-' + order.status;
    badge.textContent = order.status;
    document.getElementById('deploy-reason').textContent = order.reason || '-';
    document.getElementById('deploy-started').textContent = time(order.startedAt);
    document.getElementById('deploy-ended').textContent = time(order.endedAt);
    const approval = document.getElementById('deploy-approval');
    if (order.approvalId && !approval.querySelector('a')) {
      const link = el('a', null, approval.dataset.label.replace('__ID__', order.approvalId));
      link.href = approval.dataset.href + encodeURIComponent(order.approvalId);
      approval.replaceChildren(link);
    }
  }

  function renderServers(order) {
    const rows = (order.servers || []).map(s => {
      const tr = el('tr');
      tr.append(el('td', null, s.instanceId), el('td', null, s.weight == null ? '-' : s.weight),
        el('td', null, s.version || '-'));
      return tr;
    });
    document.getElementById('deploy-servers').replaceChildren(...rows);
  }

  function renderLogs(order) {
    const entries = order.logs || [];
    const key = JSON.stringify(entries);
    if (key === lastLogs) { return; }
    lastLogs = key;
    // Keep open what the reader opened: the n-th entry's kind of log.
    const open = new Set();
    logs.querySelectorAll('article').forEach((article, i) => article.querySelectorAll('details[open]')
      .forEach(d => open.add(i + ':' + d.dataset.kind)));
    const articles = entries.map((log, i) => {
      const article = el('article', 'deploy-log card');
      const h = el('h4');
      h.append(el('span', null, log.phase + ' · ' + log.instanceId + ' · ' + log.version), ' ',
        el('span', 'badge status-' + log.status, log.status));
      if (log.weight != null) {
        h.append(' ', el('small', 'hint', logs.dataset.labelWeight + ' ' + log.weight));
      }
      article.append(h);
      if (log.message) { article.append(el('p', null, log.message)); }
      KINDS.forEach(kind => {
        const details = el('details');
        details.dataset.kind = kind;
        details.open = open.has(i + ':' + kind);
        details.append(el('summary', null, kind), el('pre', 'log', log[kind] || logs.dataset.labelEmpty));
        article.append(details);
      });
      return article;
    });
    logs.replaceChildren(...articles);
    document.getElementById('deploy-logs-empty').hidden = entries.length > 0;
  }

  function poll() {
    fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(order => {
        renderFacts(order);
        renderServers(order);
        renderLogs(order);
        if (ACTIVE.includes(order.status)) {
          setTimeout(poll, 2000);
        } else {
          const live = document.getElementById('deploy-live');
          if (live) { live.hidden = true; }
        }
      })
      .catch(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 2000);
})();
