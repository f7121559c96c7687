// Follows one app publish: polls its status URL, moves the steps, appends new log lines.
(function () {
  const steps = document.getElementById('steps');
  if (!steps) { return; }
  const url = steps.dataset.statusUrl;
  const log = document.getElementById('log');
  let lastId = 0;
  log.querySelectorAll('span[data-id]').forEach(s => { lastId = Math.max(lastId, Number(s.dataset.id)); });

  function mark(status) {
    const activities = status.currentActivities || [];
    const order = Array.from(steps.querySelectorAll('li')).map(li => li.dataset.step);
    let current = null;
    if (status.status === 'PUBLISHED') { current = 'done'; }
    else if (activities.includes('CallActivity_Review')) { current = 'approval'; }
    else if (activities.includes('Task_Deploy') || status.status === 'PUBLISHING' || status.status === 'FAILED') { current = 'deploy'; }
    else if (!status.running) { current = 'stopped'; }
    const index = current === 'done' ? order.length : order.indexOf(current);
    steps.querySelectorAll('li').forEach((li, i) => {
      li.classList.toggle('done', index < 0 ? i === 0 : i < index);
      li.classList.toggle('current', i === index && status.status !== 'FAILED');
      li.classList.toggle('failed', i === index && status.status === 'FAILED');
    });
  }

  // PENDING_PUBLISH -> the badge's data-label-pending-publish (dataset.labelPendingPublish).
  function label(badge, status) {
    const key = 'label' + status.toLowerCase().split('_')
      .map(word => word.charAt(0).toUpperCase() + word.slice(1)).join('');
    return badge.dataset[key] || status;
  }

  function render(status) {
    const badge = document.getElementById('status');
    badge.className = 'badge status-' + status.status;
    badge.textContent = label(badge, status.status);
    document.getElementById('reason').textContent = status.reason || '';
    const incidents = document.getElementById('incidents');
    incidents.hidden = !(status.incidents && status.incidents.length);
    (status.log || []).forEach(line => {
      const span = document.createElement('span');
      span.className = line.level;
      span.dataset.id = line.id;
      const time = new Date(line.loggedAt).toLocaleTimeString();
      span.textContent = time + ' ' + line.level + ' ' + line.message + '\n';
      log.appendChild(span);
      lastId = Math.max(lastId, line.id);
    });
    mark(status);
    return status.running;
  }

  function poll() {
    fetch(url + '?afterLogId=' + lastId, { headers: { 'Accept': 'application/json' } })
      .then(r => r.ok ? r.json() : Promise.reject(r.status))
      .then(status => { if (render(status)) { setTimeout(poll, 1500); } })
      .catch(() => setTimeout(poll, 5000));
  }
  poll();
})();
