/*
 * Miniflow's history plugin for Cockpit (plugin API v2, loaded through scripts/config.js; docs/cockpit.md).
 *
 * Camunda 7 CE's Cockpit shows running instances only. This plugin adds
 *   #/miniflow-history               finished and running instances, searched by process, business key, state and
 *                                    time, a page at a time (?key=&businessKey=&state=&startedFrom=...&page=)
 *   #/miniflow-history/instance/:id  one instance's history: diagram with the executed path, activity timeline,
 *                                    variables and their changes, incidents, user operations, parent and children
 * plus a "History" entry in the header and links from Cockpit's definition and instance pages, and the links between
 * a WeChat template release batch and its mini programs' releases: a "Release batch" tab on running instances, the
 * releases on a batch's history page and a link to the batch on each release's.
 *
 * Every request goes to the engine REST API of the webapp (api.engineApi) as the logged-in user, so Camunda's
 * authorizations decide what is shown: the plugin grants nothing. Lists are always queried a page at a time with
 * firstResult/maxResults and a /count, never all at once. Text from the engine is set as textContent, never as HTML.
 */

const PAGE_SIZE = 20;
const TIMELINE_PAGE_SIZE = 50;
/** Activity instances read for the durations on the diagram; a batch instance may have hundreds of thousands. */
const DURATION_SAMPLE = 1000;
/** Called instances whose user operations are shown with their parent's (a release batch calls hundreds). */
const CHILD_OPERATIONS_LIMIT = 20;
const VALUE_SHOWN = 300;
const BPMN_JS = '/webjars/bpmn-js/8.0.0/dist/';

const STATES = {
  running: { unfinished: true },
  completed: { completed: true },
  cancelled: { externallyTerminated: true },
  terminated: { internallyTerminated: true },
  incidents: { withIncidents: true },
  suspended: { suspended: true }
};

const TEXT = {
  en: {
    nav: 'History',
    title: 'Process history',
    subtitle: 'Finished and running instances. Cockpit\'s own views show running instances only.',
    process: 'Process',
    allProcesses: 'All processes',
    businessKey: 'Business key',
    businessKeyHint: 'part of the key: app id, tenant code, release id, app/env/deployNo …',
    state: 'State',
    anyState: 'Any state',
    'state.running': 'Running',
    'state.completed': 'Completed',
    'state.cancelled': 'Cancelled',
    'state.terminated': 'Terminated',
    'state.incidents': 'With incidents',
    'state.suspended': 'Suspended',
    'state.ACTIVE': 'Running',
    'state.SUSPENDED': 'Suspended',
    'state.COMPLETED': 'Completed',
    'state.EXTERNALLY_TERMINATED': 'Cancelled',
    'state.INTERNALLY_TERMINATED': 'Terminated',
    startedFrom: 'Started on or after',
    startedTo: 'Started on or before',
    finishedFrom: 'Ended on or after',
    finishedTo: 'Ended on or before',
    search: 'Search',
    reset: 'Reset',
    found: '{0} instances',
    none: 'No instances match.',
    page: 'Page {0} of {1}',
    previous: '‹ Previous',
    next: 'Next ›',
    first: '« First',
    last: 'Last »',
    started: 'Started',
    ended: 'Ended',
    duration: 'Duration',
    startedBy: 'Started by',
    version: 'Version',
    incident: 'incident',
    loading: 'Loading …',
    failed: 'Could not load: {0}',
    instance: 'Instance',
    console: 'Open in Miniflow',
    runtime: 'Runtime view',
    allOfProcess: 'All instances of {0}',
    tenant: 'Workspace',
    diagram: 'Executed path',
    diagramHint: 'Green: executed (×count, average duration); blue: running; red: incident.',
    durationSample: 'Durations over the first {0} of {1} activity instances.',
    timeline: 'Activity timeline',
    activity: 'Activity',
    type: 'Type',
    who: 'Assignee / called',
    canceled: 'cancelled',
    variables: 'Variables',
    name: 'Name',
    value: 'Value',
    changes: 'Changes',
    showChanges: 'History',
    noVariables: 'No variables.',
    incidents: 'Incidents',
    noIncidents: 'No incidents.',
    message: 'Message',
    created: 'Created',
    resolved: 'Ended',
    'incident.open': 'open',
    'incident.resolved': 'resolved',
    'incident.deleted': 'deleted',
    operations: 'User operations',
    noOperations: 'No user operations.',
    when: 'When',
    user: 'User',
    operation: 'Operation',
    entity: 'On',
    change: 'Change',
    inInstance: 'Instance',
    thisInstance: 'this one',
    childOpsCut: 'Operations of the first {0} of {1} called instances are shown; open the others for theirs.',
    relations: 'Parent and called instances',
    parent: 'Called by',
    root: 'Root instance',
    children: 'Called instances',
    noChildren: 'No called instances.',
    breadcrumb: 'History',
    sections: 'Sections',
    releases: 'Mini program releases',
    releasesTab: 'Release batch',
    releasesFound: '{0} mini program releases',
    noReleases: 'This batch has started no mini program releases yet.',
    noReleasesMatch: 'No release of this batch matches.',
    appId: 'AppID',
    appIdHint: 'part of the AppID',
    batchLink: 'Release batch #{0}',
    batchMissing: 'Release batch #{0} (its instance is no longer in the history)',
    notInBatch: 'This instance is not part of a WeChat template release batch.',
    noBatchId: 'This batch instance has no releaseBatchId.'
  },
  zh: {
    nav: '历史',
    title: '流程历史',
    subtitle: '已结束和运行中的流程实例。Cockpit 自带的视图只显示运行中的实例。',
    process: '流程',
    allProcesses: '全部流程',
    businessKey: '业务键',
    businessKeyHint: '业务键的一部分:appid、租户编码、发布 ID、应用/环境/部署号 …',
    state: '状态',
    anyState: '全部状态',
    'state.running': '运行中',
    'state.completed': '已完成',
    'state.cancelled': '已取消',
    'state.terminated': '已终止',
    'state.incidents': '有故障',
    'state.suspended': '已挂起',
    'state.ACTIVE': '运行中',
    'state.SUSPENDED': '已挂起',
    'state.COMPLETED': '已完成',
    'state.EXTERNALLY_TERMINATED': '已取消',
    'state.INTERNALLY_TERMINATED': '已终止',
    startedFrom: '开始日期(起)',
    startedTo: '开始日期(止)',
    finishedFrom: '结束日期(起)',
    finishedTo: '结束日期(止)',
    search: '搜索',
    reset: '重置',
    found: '共 {0} 个实例',
    none: '没有匹配的实例。',
    page: '第 {0} / {1} 页',
    previous: '‹ 上一页',
    next: '下一页 ›',
    first: '« 首页',
    last: '末页 »',
    started: '开始',
    ended: '结束',
    duration: '耗时',
    startedBy: '发起人',
    version: '版本',
    incident: '故障',
    loading: '加载中 …',
    failed: '加载失败:{0}',
    instance: '实例',
    console: '在 Miniflow 中打开',
    runtime: '运行视图',
    allOfProcess: '{0} 的全部实例',
    tenant: '工作空间',
    diagram: '执行路径',
    diagramHint: '绿色:已执行(×次数,平均耗时);蓝色:运行中;红色:故障。',
    durationSample: '耗时按 {1} 个活动实例中的前 {0} 个计算。',
    timeline: '活动时间线',
    activity: '活动',
    type: '类型',
    who: '处理人 / 子流程',
    canceled: '已取消',
    variables: '变量',
    name: '名称',
    value: '值',
    changes: '变更',
    showChanges: '历史',
    noVariables: '没有变量。',
    incidents: '故障',
    noIncidents: '没有故障。',
    message: '信息',
    created: '发生',
    resolved: '结束',
    'incident.open': '未解决',
    'incident.resolved': '已解决',
    'incident.deleted': '已删除',
    operations: '用户操作',
    noOperations: '没有用户操作。',
    when: '时间',
    user: '用户',
    operation: '操作',
    entity: '对象',
    change: '变更',
    inInstance: '实例',
    thisInstance: '本实例',
    childOpsCut: '仅显示 {1} 个子流程实例中前 {0} 个的操作;其余请打开对应实例查看。',
    relations: '父流程与子流程',
    parent: '父流程',
    root: '根实例',
    children: '子流程实例',
    noChildren: '没有子流程实例。',
    breadcrumb: '历史',
    sections: '目录',
    releases: '小程序发布',
    releasesTab: '发布批次',
    releasesFound: '共 {0} 个小程序发布',
    noReleases: '此批次尚未开始任何小程序发布。',
    noReleasesMatch: '此批次中没有匹配的发布。',
    appId: 'AppID',
    appIdHint: 'AppID 的一部分',
    batchLink: '发布批次 #{0}',
    batchMissing: '发布批次 #{0}(其流程实例已不在历史中)',
    notInBatch: '此实例不属于微信模板发布批次。',
    noBatchId: '此批次实例没有 releaseBatchId。'
  }
};

const LANG = (navigator.languages || [navigator.language || 'en']).some(l => /^zh/i.test(l)) ? 'zh' : 'en';

/**
 * The models' element names in the reader's language: Miniflow's console serves its translations (the same session),
 * applied to the diagram's XML and to the activity lists. English readers keep the models' own names.
 */
const ACTIVITY_NAMES = LANG === 'zh'
  ? fetch('/processes/activity-names', { credentials: 'same-origin', headers: { 'Accept-Language': 'zh-CN' } })
    .then(r => (r.ok ? r.json() : {})).catch(() => ({}))
  : Promise.resolve({});
let activityNames = {};
ACTIVITY_NAMES.then(names => { activityNames = names; });

function activityName(name) {
  return (name && activityNames[name]) || name;
}

const XML_ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

function translateXml(xml, names) {
  const decode = v => v.replace(/&(amp|lt|gt|quot|#39|apos);/g, m => XML_ENTITIES[m]);
  const encode = v => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return xml.replace(/ name="([^"]*)"/g, (whole, raw) => {
    const name = names[decode(raw)];
    return name ? ' name="' + encode(name) + '"' : whole;
  });
}

function t(key, ...args) {
  const text = TEXT[LANG][key] || TEXT.en[key] || key;
  return text.replace(/\{(\d)\}/g, (_, i) => typeof args[Number(i)] === 'number'
    ? args[Number(i)].toLocaleString(LANG === 'zh' ? 'zh-CN' : 'en-US') : String(args[Number(i)]));
}

/** el('a', {href: '#'}, 'text', child): attributes as properties or attributes; children as text or nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([name, value]) => {
    if (value === undefined || value === null || value === false) {
      return;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.substring(2), value);
    } else if (name === 'text') {
      node.textContent = value;
    } else {
      node.setAttribute(name, value === true ? '' : value);
    }
  });
  children.flat().forEach(child => {
    if (child !== undefined && child !== null && child !== false) {
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  });
  return node;
}

function appRoot() {
  const base = document.querySelector('base');
  return (base && base.getAttribute('app-root')) || '/camunda';
}

/** Where Miniflow's console lives: the webapps sit at <context>/camunda. */
function miniflowRoot() {
  return appRoot().replace(/\/camunda\/?$/, '');
}

function currentRoute() {
  const hash = window.location.hash.replace(/^#!?/, '');
  const at = hash.indexOf('?');
  return {
    path: at < 0 ? hash : hash.substring(0, at),
    params: new URLSearchParams(at < 0 ? '' : hash.substring(at + 1))
  };
}

function listHref(params) {
  const query = new URLSearchParams();
  Object.entries(params).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') {
      query.set(name, value);
    }
  });
  const text = query.toString();
  return '#/miniflow-history' + (text ? '?' + text : '');
}

function instanceHref(id) {
  return '#/miniflow-history/instance/' + encodeURIComponent(id);
}

function consoleHref(id) {
  return miniflowRoot() + '/processes/' + encodeURIComponent(id);
}

function keyOf(processDefinitionId) {
  return (processDefinitionId || '').split(':')[0];
}

// --- the engine REST API, as the logged-in user

function engine(api) {
  const request = (path, params, init) => {
    const url = new URL(api.engineApi + path, window.location.origin);
    Object.entries(params || {}).forEach(([name, value]) => {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(name, value);
      }
    });
    return fetch(url, Object.assign({ credentials: 'same-origin' }, init))
      .then(response => response.ok ? response.json() : response.json().catch(() => ({})).then(body => {
        throw new Error(response.status + (body.message ? ' ' + body.message : ''));
      }));
  };
  return {
    get: (path, params) => request(path, params, { headers: { Accept: 'application/json' } }),
    /** A query with a body (several sort keys); the webapp wants its CSRF token on every POST. */
    query: (path, params, body) => request(path, params, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-XSRF-TOKEN': api.CSRFToken },
      body: JSON.stringify(body)
    })
  };
}

/** Activities in the order they ran: start time, then the engine's sequence for those within one millisecond. */
const IN_ORDER = [{ sortBy: 'startTime', sortOrder: 'asc' }, { sortBy: 'occurrence', sortOrder: 'asc' }];

// --- formatting

function pad(n, width) {
  return String(n).padStart(width || 2, '0');
}

function formatTime(value) {
  if (!value) {
    return '';
  }
  const d = new Date(value);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
    + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** The time of day only, with milliseconds, when it falls on the day the instance started. */
function sameDayTime(value, dayOf) {
  const full = formatTime(value);
  if (full.substring(0, 10) !== formatTime(dayOf).substring(0, 10)) {
    return full;
  }
  return full.substring(11) + '.' + pad(new Date(value).getMilliseconds(), 3);
}

function formatDuration(ms) {
  if (ms === undefined || ms === null) {
    return '';
  }
  if (ms < 1000) {
    return ms + ' ms';
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return (ms / 1000).toFixed(1) + ' s';
  }
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'],
    [s % 60, 's']].filter(([n]) => n > 0);
  return parts.slice(0, 2).map(([n, unit]) => n + ' ' + unit).join(' ');
}

/** A date input's day as the engine's date parameter, at the start or the end of that day in local time. */
function engineDate(day, endOfDay) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) {
    return undefined;
  }
  const d = new Date(day + (endOfDay ? 'T23:59:59.999' : 'T00:00:00.000'));
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return day + (endOfDay ? 'T23:59:59.999' : 'T00:00:00.000') + sign + pad(Math.floor(Math.abs(offset) / 60))
    + pad(Math.abs(offset) % 60);
}

function stateLabel(instance) {
  // Cockpit's "primary" is its brand red, which reads as an error: running instances get a blue of their own.
  const classes = {
    ACTIVE: 'mf-label-running', SUSPENDED: 'label-warning', COMPLETED: 'label-success',
    EXTERNALLY_TERMINATED: 'label-default', INTERNALLY_TERMINATED: 'label-default'
  };
  return el('span', { class: 'label ' + (classes[instance.state] || 'label-default'), 'data-state': instance.state },
    t('state.' + instance.state));
}

function loading() {
  return el('p', { class: 'mf-loading' }, t('loading'));
}

function failure(error) {
  return el('div', { class: 'alert alert-danger' }, t('failed', error.message || error));
}

/** Fills node with what build(data) returns once promise resolves, or with the error. */
function fill(node, promise, build) {
  node.replaceChildren(loading());
  return promise.then(data => node.replaceChildren(build(data)))
    .catch(error => node.replaceChildren(failure(error)));
}

function table(headers, rows, attrs) {
  return el('table', Object.assign({ class: 'table table-condensed table-striped mf-table' }, attrs),
    el('thead', null, el('tr', null, headers.map(h => el('th', null, h)))),
    el('tbody', null, rows));
}

/** Prev/next for a list of total items; go(page) loads that page (0-based). */
function pager(page, size, total, go) {
  const pages = Math.max(1, Math.ceil(total / size));
  const button = (label, target, enabled, cls) => el('button', {
    type: 'button', class: 'btn btn-default btn-sm ' + (cls || ''), disabled: !enabled,
    onclick: () => go(target)
  }, label);
  return el('div', { class: 'mf-pager' },
    button(t('first'), 0, page > 0, 'mf-first'),
    button(t('previous'), page - 1, page > 0, 'mf-previous'),
    el('span', { class: 'mf-page' }, t('page', page + 1, pages)),
    button(t('next'), page + 1, page + 1 < pages, 'mf-next'),
    button(t('last'), pages - 1, page + 1 < pages, 'mf-last'));
}

function breadcrumbs(...given) {
  const items = given.filter(Boolean);
  return el('ol', { class: 'breadcrumb mf-breadcrumb' },
    el('li', null, el('a', { href: '#/' }, 'Cockpit')),
    items.map((item, i) => el('li', { class: i === items.length - 1 ? 'active' : '' },
      item.href ? el('a', { href: item.href }, item.label) : item.label)));
}

// --- the History view: instances of one or all processes, a page at a time

function readFilters(params) {
  const page = Math.max(0, (parseInt(params.get('page'), 10) || 1) - 1);
  return {
    key: params.get('key') || '',
    businessKey: params.get('businessKey') || '',
    state: STATES[params.get('state')] ? params.get('state') : '',
    startedFrom: params.get('startedFrom') || '',
    startedTo: params.get('startedTo') || '',
    finishedFrom: params.get('finishedFrom') || '',
    finishedTo: params.get('finishedTo') || '',
    page
  };
}

/** The history query for the filters; a business key matches anywhere in the key unless it carries its own %. */
function historyQuery(filters) {
  const bk = filters.businessKey.trim();
  return Object.assign({
    processDefinitionKey: filters.key || undefined,
    processInstanceBusinessKeyLike: bk ? (bk.includes('%') ? bk : '%' + bk + '%') : undefined,
    startedAfter: engineDate(filters.startedFrom, false),
    startedBefore: engineDate(filters.startedTo, true),
    finishedAfter: engineDate(filters.finishedFrom, false),
    finishedBefore: engineDate(filters.finishedTo, true)
  }, STATES[filters.state] || {});
}

function filterForm(filters, definitions) {
  const input = (name, type, attrs) => el('input', Object.assign({
    class: 'form-control input-sm', name, type, value: filters[name]
  }, attrs));
  const processSelect = el('select', { class: 'form-control input-sm', name: 'key' },
    el('option', { value: '' }, t('allProcesses')),
    definitions.map(d => el('option', { value: d.key, selected: d.key === filters.key },
      d.name ? d.name + ' (' + d.key + ')' : d.key)));
  if (filters.key && !definitions.some(d => d.key === filters.key)) {
    processSelect.appendChild(el('option', { value: filters.key, selected: true }, filters.key));
  }
  const stateSelect = el('select', { class: 'form-control input-sm', name: 'state' },
    el('option', { value: '' }, t('anyState')),
    Object.keys(STATES).map(s => el('option', { value: s, selected: s === filters.state }, t('state.' + s))));
  const form = el('form', { class: 'mf-filters', onsubmit: event => {
    event.preventDefault();
    const data = new FormData(form);
    const params = {};
    data.forEach((value, name) => { params[name] = String(value).trim(); });
    window.location.hash = listHref(params);
  } },
  el('label', null, t('process'), processSelect),
  el('label', { class: 'mf-wide' }, t('businessKey'),
    input('businessKey', 'search', { placeholder: t('businessKeyHint'), autofocus: true })),
  el('label', null, t('state'), stateSelect),
  el('label', null, t('started'), el('span', { class: 'mf-range' }, input('startedFrom', 'date', { title: t('startedFrom') }),
    '–', input('startedTo', 'date', { title: t('startedTo') }))),
  el('label', null, t('ended'), el('span', { class: 'mf-range' }, input('finishedFrom', 'date', { title: t('finishedFrom') }),
    '–', input('finishedTo', 'date', { title: t('finishedTo') }))),
  el('div', { class: 'mf-buttons' },
    el('button', { type: 'submit', class: 'btn btn-primary btn-sm mf-search' }, t('search')),
    el('a', { class: 'btn btn-link btn-sm', href: listHref({ key: filters.key }) }, t('reset'))));
  return form;
}

function renderList(node, api) {
  const rest = engine(api);
  const filters = readFilters(currentRoute().params);
  const formHolder = el('div', null, loading());
  const results = el('div', { class: 'mf-results' }, loading());
  node.replaceChildren(el('div', { class: 'mf-history mf-list' },
    breadcrumbs({ label: t('breadcrumb'), href: listHref({}) }, filters.key ? { label: filters.key } : null),
    el('h2', null, filters.key ? t('allOfProcess', filters.key) : t('title')),
    el('p', { class: 'text-muted' }, t('subtitle')),
    formHolder, results));

  fill(formHolder, rest.get('/process-definition', { latestVersion: true, sortBy: 'key', sortOrder: 'asc' }),
    definitions => filterForm(filters, definitions));

  const query = historyQuery(filters);
  const listed = Promise.all([
    rest.get('/history/process-instance/count', query),
    rest.get('/history/process-instance', Object.assign({
      sortBy: 'startTime', sortOrder: 'desc', firstResult: filters.page * PAGE_SIZE, maxResults: PAGE_SIZE
    }, query))
  ]).then(([count, rows]) => {
    // Which of this page's instances have incidents: one query for the page.
    const ids = rows.map(r => r.id);
    const withIncidents = ids.length === 0 ? Promise.resolve([])
      : rest.get('/history/process-instance', { processInstanceIds: ids.join(','), withIncidents: true,
        maxResults: PAGE_SIZE });
    return withIncidents.catch(() => []).then(incidents => ({
      count: count.count, rows, incidentIds: new Set(incidents.map(i => i.id))
    }));
  });
  fill(results, listed, ({ count, rows, incidentIds }) => {
    if (count === 0) {
      return el('p', { class: 'mf-empty' }, t('none'));
    }
    const go = page => {
      window.location.hash = listHref(Object.assign({}, filters, { page: page + 1 }));
    };
    return el('div', null,
      el('p', { class: 'mf-count' }, t('found', count)),
      table([t('state'), t('businessKey'), t('process'), t('started'), t('ended'), t('duration'), t('startedBy')],
        rows.map(r => el('tr', { class: 'mf-instance', 'data-instance-id': r.id },
          el('td', null, stateLabel(r), incidentIds.has(r.id)
            ? el('span', { class: 'label label-danger mf-incident-flag' }, t('incident')) : null),
          el('td', null, el('a', { href: instanceHref(r.id), class: 'mf-business-key' }, r.businessKey || r.id)),
          el('td', null, (r.processDefinitionName || r.processDefinitionKey) + ' v' + r.processDefinitionVersion),
          el('td', null, formatTime(r.startTime)),
          el('td', null, formatTime(r.endTime)),
          el('td', null, formatDuration(r.durationInMillis)),
          el('td', null, r.startUserId || '')))),
      pager(filters.page, PAGE_SIZE, count, go));
  });
}

// --- one instance's history

function loadViewer() {
  if (window.BpmnJS) {
    return Promise.resolve(window.BpmnJS);
  }
  const url = miniflowRoot() + BPMN_JS + 'bpmn-navigated-viewer.production.min.js';
  if (!document.querySelector('link[data-mf-bpmn]')) {
    document.head.appendChild(el('link', { rel: 'stylesheet', href: miniflowRoot() + BPMN_JS + 'assets/diagram-js.css',
      'data-mf-bpmn': true }));
  }
  // Cockpit runs RequireJS; the UMD bundle then defines an anonymous module, which only require() can name.
  if (typeof window.require === 'function' && typeof window.define === 'function' && window.define.amd) {
    return new Promise((resolve, reject) => window.require([url], resolve, reject));
  }
  return new Promise((resolve, reject) => {
    const script = el('script', { src: url });
    script.onload = () => resolve(window.BpmnJS);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function section(id, title, ...content) {
  return el('section', { class: 'mf-section', id: 'mf-' + id }, el('h3', null, title), content);
}

function renderInstance(node, api, id) {
  const rest = engine(api);
  node.replaceChildren(el('div', { class: 'mf-history mf-instance-page' }, loading()));
  rest.get('/history/process-instance/' + encodeURIComponent(id))
    .then(instance => ACTIVITY_NAMES.then(() => showInstance(node.firstChild, rest, instance)))
    .catch(error => node.firstChild.replaceChildren(
      breadcrumbs({ label: t('breadcrumb'), href: listHref({}) }, { label: id }), failure(error)));
}

function showInstance(page, rest, instance) {
  const id = instance.id;
  const running = !instance.endTime;
  const isBatch = instance.processDefinitionKey === BATCH_PROCESS;
  const parts = {
    batch: el('span', { class: 'mf-batch' }),
    releases: isBatch ? el('div') : null,
    diagram: el('div', { class: 'mf-diagram-part' }),
    timeline: el('div'),
    variables: el('div'),
    incidents: el('div'),
    operations: el('div'),
    relations: el('div')
  };
  const fact = (label, value) => value ? el('div', null, el('dt', null, label), el('dd', null, value)) : null;
  page.replaceChildren(
    breadcrumbs({ label: t('breadcrumb'), href: listHref({}) },
      { label: instance.processDefinitionKey, href: listHref({ key: instance.processDefinitionKey }) },
      { label: instance.businessKey || id }),
    el('h2', { class: 'mf-instance-title' }, (instance.processDefinitionName || instance.processDefinitionKey) + ' ',
      el('small', { class: 'mf-instance-business-key' }, instance.businessKey || ''), ' ', stateLabel(instance)),
    el('div', { class: 'mf-links' },
      el('a', { class: 'btn btn-default btn-sm mf-console-link', href: consoleHref(id) }, t('console')),
      running ? el('a', { class: 'btn btn-default btn-sm', href: '#/process-instance/' + id + '/runtime' },
        t('runtime')) : null,
      parts.batch,
      el('a', { class: 'btn btn-link btn-sm', href: listHref({ key: instance.processDefinitionKey }) },
        t('allOfProcess', instance.processDefinitionKey))),
    el('dl', { class: 'mf-facts' },
      fact(t('instance'), id),
      fact(t('version'), instance.processDefinitionKey + ' v' + instance.processDefinitionVersion),
      fact(t('tenant'), instance.tenantId),
      fact(t('startedBy'), instance.startUserId),
      fact(t('started'), formatTime(instance.startTime)),
      fact(t('ended'), formatTime(instance.endTime)),
      fact(t('duration'), formatDuration(instance.durationInMillis))),
    el('nav', { class: 'mf-toc' }, t('sections') + ': ',
      [['diagram', t('diagram')], isBatch ? ['releases', t('releases')] : null, ['timeline', t('timeline')],
        ['variables', t('variables')], ['incidents', t('incidents')], ['operations', t('operations')],
        ['relations', t('relations')]].filter(Boolean)
        .map(([part, label]) => el('button', { type: 'button', class: 'btn btn-link btn-xs',
          onclick: () => page.querySelector('#mf-' + part).scrollIntoView() }, label))),
    section('diagram', t('diagram'), el('p', { class: 'text-muted' }, t('diagramHint')), parts.diagram),
    ...(isBatch ? [section('releases', t('releases'), parts.releases)] : []),
    section('timeline', t('timeline'), parts.timeline),
    section('variables', t('variables'), parts.variables),
    section('incidents', t('incidents'), parts.incidents),
    section('operations', t('operations'), parts.operations),
    section('relations', t('relations'), parts.relations));

  showDiagram(parts.diagram, rest, instance);
  showTimeline(parts.timeline, rest, instance, 0);
  showVariables(parts.variables, rest, id, 0);
  showIncidents(parts.incidents, rest, id);
  showOperations(parts.operations, rest, id, 0);
  showRelations(parts.relations, rest, instance, 0);
  if (isBatch) {
    fill(parts.releases, batchPart(rest, instance), part => part);
  } else {
    // Only instances of a release batch link to one; the others show nothing here.
    batchOf(rest, id).then(found => found && parts.batch.replaceChildren(batchLink(found))).catch(() => {});
  }
}

function showDiagram(part, rest, instance) {
  const id = instance.id;
  const definition = instance.processDefinitionId;
  const data = Promise.all([
    rest.get('/process-definition/' + encodeURIComponent(definition) + '/xml'),
    rest.get('/history/process-definition/' + encodeURIComponent(definition) + '/statistics',
      { processInstanceIdIn: id, finished: true, canceled: true, incidents: true }),
    rest.get('/history/activity-instance', { processInstanceId: id, sortBy: 'startTime', sortOrder: 'asc',
      maxResults: DURATION_SAMPLE }),
    rest.get('/history/activity-instance/count', { processInstanceId: id }),
    loadViewer(),
    ACTIVITY_NAMES
  ]);
  const canvasHolder = el('div', { class: 'mf-diagram', 'data-instance-id': id });
  const note = el('p', { class: 'text-muted mf-note' });
  fill(part, data, () => el('div', null, canvasHolder, note)).then(() => data).then(
    ([xml, statistics, activities, activityCount, BpmnJS, names]) => {
      if (activityCount.count > activities.length) {
        note.textContent = t('durationSample', activities.length, activityCount.count);
      }
      const durations = {};
      activities.forEach(a => {
        const d = durations[a.activityId] || (durations[a.activityId] = { total: 0, ended: 0 });
        if (a.durationInMillis !== null && a.durationInMillis !== undefined) {
          d.total += a.durationInMillis;
          d.ended += 1;
        }
      });
      const viewer = new BpmnJS({ container: canvasHolder });
      const complete = activityCount.count <= activities.length;
      return viewer.importXML(translateXml(xml.bpmn20Xml, names))
        .then(() => markPath(viewer, statistics, durations, canvasHolder, complete ? activities : null));
    }).catch(error => part.replaceChildren(failure(error)));
}

/**
 * The flows taken. History keeps activities, not flows: an activity was entered through the incoming flow whose
 * source ended last before it started (through all of them for a joining gateway). Without the whole activity
 * history (more than the sample), a flow between two executed elements counts as taken.
 */
function takenFlows(registry, executed, activities) {
  const flows = registry.filter(e => e.type === 'bpmn:SequenceFlow' && e.source && e.target);
  if (!activities) {
    return flows.filter(f => executed.has(f.source.id) && executed.has(f.target.id));
  }
  const elementOf = a => a.activityId.replace(/#multiInstanceBody$/, '');
  const taken = new Set();
  activities.forEach(entered => {
    const incoming = flows.filter(f => f.target.id === elementOf(entered));
    const started = new Date(entered.startTime).getTime();
    const candidates = incoming.map(flow => ({
      flow,
      ended: Math.max(-1, ...activities.filter(a => elementOf(a) === flow.source.id && a.endTime
        && new Date(a.endTime).getTime() <= started).map(a => new Date(a.endTime).getTime()))
    })).filter(c => c.ended >= 0);
    if (/ParallelGateway|InclusiveGateway/.test(registry.get(elementOf(entered)).type)) {
      candidates.forEach(c => taken.add(c.flow));
    } else if (candidates.length > 0) {
      taken.add(candidates.reduce((best, c) => c.ended > best.ended ? c : best).flow);
    }
  });
  return Array.from(taken);
}

function markPath(viewer, statistics, durations, holder, activities) {
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  canvas.zoom('fit-viewport');
  const executed = new Set();
  statistics.forEach(s => {
    if (!registry.get(s.id)) {
      return;
    }
    const count = s.instances + s.finished;
    if (count === 0) {
      return;
    }
    executed.add(s.id);
    canvas.addMarker(s.id, 'mf-executed');
    if (s.instances > 0) {
      canvas.addMarker(s.id, 'mf-running');
    }
    if (s.openIncidents > 0) {
      canvas.addMarker(s.id, 'mf-incident');
    }
    const d = durations[s.id];
    const average = d && d.ended > 0 ? formatDuration(Math.round(d.total / d.ended)) : '';
    // Below the left corner of a task; above events and gateways, whose labels sit below them.
    const element = registry.get(s.id);
    const small = /Event|Gateway/.test(element.type);
    overlays.add(s.id, 'mf-count', {
      position: small ? { top: -16, left: -6 } : { bottom: 8, left: -8 },
      html: el('span', { class: 'mf-badge' + (s.openIncidents > 0 ? ' mf-badge-incident' : ''),
        title: s.id + ': ' + count + (s.canceled ? ' (' + s.canceled + ' ' + t('canceled') + ')' : ''),
        'data-activity-id': s.id, 'data-count': count }, '×' + count + (average ? ' · ' + average : ''))
    });
  });
  const taken = takenFlows(registry, executed, activities && activities.filter(a => registry.get(
    a.activityId.replace(/#multiInstanceBody$/, ''))));
  taken.forEach(flow => canvas.addMarker(flow.id, 'mf-taken'));
  holder.setAttribute('data-executed', Array.from(executed).join(','));
  holder.setAttribute('data-taken', taken.map(flow => flow.id).join(','));
}

function showTimeline(part, rest, instance, page) {
  const id = instance.id;
  const start = new Date(instance.startTime).getTime();
  const end = instance.endTime ? new Date(instance.endTime).getTime() : Date.now();
  const span = Math.max(1, end - start);
  fill(part, Promise.all([
    rest.get('/history/activity-instance/count', { processInstanceId: id }),
    rest.query('/history/activity-instance', { firstResult: page * TIMELINE_PAGE_SIZE,
      maxResults: TIMELINE_PAGE_SIZE }, { processInstanceId: id, sorting: IN_ORDER })
  ]), ([count, rows]) => {
    const bar = a => {
      const from = new Date(a.startTime).getTime();
      const to = a.endTime ? new Date(a.endTime).getTime() : end;
      const left = Math.min(100, ((from - start) / span) * 100);
      const width = Math.max(0.5, Math.min(100 - left, ((to - from) / span) * 100));
      return el('div', { class: 'mf-bar' }, el('span', {
        class: a.endTime ? (a.canceled ? 'mf-bar-canceled' : 'mf-bar-done') : 'mf-bar-running',
        style: 'left:' + left.toFixed(2) + '%;width:' + width.toFixed(2) + '%'
      }));
    };
    return el('div', null,
      table([t('activity'), t('type'), t('started'), t('ended'), t('duration'), t('who'), ''],
        rows.map(a => el('tr', { class: 'mf-activity' + (a.endTime ? '' : ' mf-current'),
          'data-activity-id': a.activityId },
        el('td', null, activityName(a.activityName) || a.activityId, a.canceled
          ? el('span', { class: 'label label-default' }, t('canceled')) : null),
        el('td', { class: 'text-muted' }, a.activityType),
        el('td', { class: 'mf-time' }, sameDayTime(a.startTime, instance.startTime)),
        el('td', { class: 'mf-time' }, a.endTime ? sameDayTime(a.endTime, instance.startTime) : '…'),
        el('td', null, formatDuration(a.durationInMillis)),
        el('td', null, a.assignee || '', a.calledProcessInstanceId
          ? el('a', { href: instanceHref(a.calledProcessInstanceId) }, a.calledProcessInstanceId) : null),
        el('td', { class: 'mf-bar-cell' }, bar(a)))), { 'data-total': count.count }),
      count.count > TIMELINE_PAGE_SIZE
        ? pager(page, TIMELINE_PAGE_SIZE, count.count, p => showTimeline(part, rest, instance, p)) : null);
  });
}

function shownValue(v) {
  let value = v.value;
  if (value === null || value === undefined) {
    value = v.errorMessage ? '(' + v.errorMessage + ')' : 'null';
  } else if (typeof value === 'object') {
    value = JSON.stringify(value);
  }
  value = String(value);
  return value.length > VALUE_SHOWN ? value.substring(0, VALUE_SHOWN) + '…' : value;
}

function showVariables(part, rest, id, page) {
  fill(part, Promise.all([
    rest.get('/history/variable-instance/count', { processInstanceId: id }),
    rest.get('/history/variable-instance', { processInstanceId: id, deserializeValues: false,
      sortBy: 'variableName', sortOrder: 'asc', firstResult: page * TIMELINE_PAGE_SIZE,
      maxResults: TIMELINE_PAGE_SIZE })
  ]), ([count, rows]) => {
    if (count.count === 0) {
      return el('p', { class: 'mf-empty' }, t('noVariables'));
    }
    const body = el('tbody');
    rows.forEach(v => {
      const changes = el('tr', { class: 'mf-changes', hidden: true }, el('td', { colspan: 5 }));
      const toggle = el('button', { type: 'button', class: 'btn btn-link btn-xs', onclick: () => {
        changes.hidden = !changes.hidden;
        if (!changes.hidden && !changes.dataset.loaded) {
          changes.dataset.loaded = 'true';
          showVariableChanges(changes.firstChild, rest, v.id);
        }
      } }, t('showChanges'));
      body.appendChild(el('tr', { class: 'mf-variable', 'data-name': v.name },
        el('td', null, v.name),
        el('td', { class: 'text-muted' }, v.type),
        el('td', { class: 'mf-value' }, shownValue(v)),
        el('td', null, formatTime(v.createTime)),
        el('td', null, toggle)));
      body.appendChild(changes);
    });
    return el('div', null,
      el('table', { class: 'table table-condensed mf-table' },
        el('thead', null, el('tr', null, [t('name'), t('type'), t('value'), t('created'), t('changes')]
          .map(h => el('th', null, h)))), body),
      count.count > TIMELINE_PAGE_SIZE
        ? pager(page, TIMELINE_PAGE_SIZE, count.count, p => showVariables(part, rest, id, p)) : null);
  });
}

function showVariableChanges(cell, rest, variableInstanceId) {
  fill(cell, rest.get('/history/detail', { variableInstanceId, deserializeValues: false, sortBy: 'time',
    sortOrder: 'asc', maxResults: 100 }), details => table([t('when'), t('value'), t('activity'), ''],
    details.map(d => el('tr', null,
      el('td', null, formatTime(d.time)),
      el('td', { class: 'mf-value' }, shownValue(d)),
      el('td', { class: 'text-muted' }, d.activityInstanceId ? d.activityInstanceId.split(':')[0] : ''),
      el('td', { class: 'text-muted' }, d.initial ? 'initial' : (d.revision !== undefined ? 'rev ' + d.revision : ''))))));
}

function showIncidents(part, rest, id) {
  fill(part, Promise.all([
    rest.get('/history/incident/count', { processInstanceId: id }),
    rest.get('/history/incident', { processInstanceId: id, sortBy: 'createTime', sortOrder: 'desc',
      firstResult: 0, maxResults: 100 })
  ]), ([count, rows]) => {
    if (count.count === 0) {
      return el('p', { class: 'mf-empty' }, t('noIncidents'));
    }
    const stateOf = i => i.open ? 'open' : (i.resolved ? 'resolved' : 'deleted');
    return table([t('state'), t('activity'), t('type'), t('message'), t('created'), t('resolved')],
      rows.map(i => el('tr', { class: 'mf-incident-row', 'data-state': stateOf(i) },
        el('td', null, el('span', { class: 'label ' + (i.open ? 'label-danger' : 'label-default') },
          t('incident.' + stateOf(i)))),
        el('td', null, i.activityId),
        el('td', { class: 'text-muted' }, i.incidentType),
        el('td', { class: 'mf-value' }, i.incidentMessage || ''),
        el('td', null, formatTime(i.createTime)),
        el('td', null, formatTime(i.endTime)))));
  });
}

/** One row per operation (an operation changes several properties, each its own log entry). */
function groupOperations(entries) {
  const byId = new Map();
  entries.forEach(e => {
    const key = e.operationId || e.id;
    if (!byId.has(key)) {
      byId.set(key, Object.assign({}, e, { changes: [] }));
    }
    if (e.property) {
      byId.get(key).changes.push(e.property + (e.orgValue !== null && e.orgValue !== undefined
        ? ': ' + e.orgValue + ' → ' : ' = ') + (e.newValue === null || e.newValue === undefined ? '' : e.newValue));
    }
  });
  return Array.from(byId.values());
}

function showOperations(part, rest, id, page) {
  const own = Promise.all([
    rest.get('/history/user-operation/count', { processInstanceId: id }),
    rest.get('/history/user-operation', { processInstanceId: id, sortBy: 'timestamp', sortOrder: 'desc',
      firstResult: page * TIMELINE_PAGE_SIZE, maxResults: TIMELINE_PAGE_SIZE })
  ]);
  // Approvals and releases happen in called instances: their operations belong to this instance's story.
  const children = page > 0 ? Promise.resolve({ count: 0, ops: [] }) : Promise.all([
    rest.get('/history/process-instance/count', { superProcessInstanceId: id }),
    rest.get('/history/process-instance', { superProcessInstanceId: id, sortBy: 'startTime', sortOrder: 'asc',
      maxResults: CHILD_OPERATIONS_LIMIT })
  ]).then(([count, list]) => Promise.all(list.map(child => rest.get('/history/user-operation', {
    processInstanceId: child.id, sortBy: 'timestamp', sortOrder: 'desc', maxResults: TIMELINE_PAGE_SIZE
  }).then(ops => ops.map(o => Object.assign(o, { child })))))
    .then(lists => ({ count: count.count, shown: list.length, ops: lists.flat() })));
  fill(part, Promise.all([own, children]), ([[count, ops], childOps]) => {
    const rows = groupOperations(ops.concat(childOps.ops))
      .sort((a, b) => new Date(b.timestamp) - new Date(a.timestamp));
    if (rows.length === 0) {
      return el('p', { class: 'mf-empty' }, t('noOperations'));
    }
    return el('div', null,
      table([t('when'), t('user'), t('operation'), t('entity'), t('change'), t('inInstance')],
        rows.map(o => el('tr', { class: 'mf-operation', 'data-operation': o.operationType, 'data-user': o.userId || '' },
          el('td', null, formatTime(o.timestamp)),
          el('td', { class: 'mf-user' }, o.userId || ''),
          el('td', null, o.operationType),
          el('td', { class: 'text-muted' }, o.entityType + (o.taskId ? ' ' + o.taskId : '')),
          el('td', { class: 'mf-value' }, o.changes.join('; ') + (o.annotation ? ' — ' + o.annotation : '')),
          el('td', null, o.child
            ? el('a', { href: instanceHref(o.child.id) }, o.child.processDefinitionKey + ' ' + (o.child.businessKey || ''))
            : t('thisInstance'))))),
      childOps.count > childOps.shown
        ? el('p', { class: 'text-muted' }, t('childOpsCut', childOps.shown, childOps.count)) : null,
      count.count > TIMELINE_PAGE_SIZE
        ? pager(page, TIMELINE_PAGE_SIZE, count.count, p => showOperations(part, rest, id, p)) : null);
  });
}

function instanceLink(instance) {
  return el('a', { href: instanceHref(instance.id), class: 'mf-relation' },
    instance.processDefinitionKey + (instance.businessKey ? ' ' + instance.businessKey : ''));
}

function showRelations(part, rest, instance, page) {
  const related = id => id ? rest.get('/history/process-instance/' + encodeURIComponent(id))
    .catch(() => ({ id, processDefinitionKey: id })) : Promise.resolve(null);
  fill(part, Promise.all([
    related(instance.superProcessInstanceId),
    instance.rootProcessInstanceId !== instance.id && instance.rootProcessInstanceId !== instance.superProcessInstanceId
      ? related(instance.rootProcessInstanceId) : Promise.resolve(null),
    rest.get('/history/process-instance/count', { superProcessInstanceId: instance.id }),
    rest.get('/history/process-instance', { superProcessInstanceId: instance.id, sortBy: 'startTime',
      sortOrder: 'asc', firstResult: page * PAGE_SIZE, maxResults: PAGE_SIZE })
  ]), ([parent, root, count, children]) => el('div', null,
    parent ? el('p', { class: 'mf-parent' }, t('parent') + ': ', instanceLink(parent)) : null,
    root ? el('p', null, t('root') + ': ', instanceLink(root)) : null,
    el('h4', null, t('children') + ' (' + count.count + ')'),
    count.count === 0 ? el('p', { class: 'mf-empty' }, t('noChildren')) : el('div', null,
      table([t('state'), t('process'), t('businessKey'), t('started'), t('ended'), t('duration')],
        children.map(c => el('tr', { class: 'mf-child' },
          el('td', null, stateLabel(c)),
          el('td', null, c.processDefinitionKey),
          el('td', null, el('a', { href: instanceHref(c.id) }, c.businessKey || c.id)),
          el('td', null, formatTime(c.startTime)),
          el('td', null, formatTime(c.endTime)),
          el('td', null, formatDuration(c.durationInMillis))))),
      count.count > PAGE_SIZE ? pager(page, PAGE_SIZE, count.count, p => showRelations(part, rest, instance, p))
        : null)));
}

// --- a WeChat template release batch and its mini programs' releases
//
// Each mini program's wechat-mp-release carries releaseBatchId, the id of its wechat-template-release batch. Miniflow
// starts releases on their own, not as called instances of the batch, so Cockpit knows no parent or child between
// them: this variable is the link, both ways. It is queried with a POST and a JSON number, because in a GET's
// `variables=releaseBatchId_eq_5` the REST API passes 5 on as a string, and a string matches no Long variable
// (CockpitHistoryQueriesTest checks both).

const BATCH_PROCESS = 'wechat-template-release';
const BATCH_VARIABLE = 'releaseBatchId';
const RELEASE_PROCESS = 'wechat-mp-release';
/** The order releases were started in; the id keeps pages stable among those started within one millisecond. */
const RELEASE_ORDER = [{ sortBy: 'startTime', sortOrder: 'asc' }, { sortBy: 'instanceId', sortOrder: 'asc' }];

function runtimeHref(id) {
  return '#/process-instance/' + encodeURIComponent(id) + '/runtime';
}

/** Where an instance reads best: Cockpit's runtime view while it runs, its history once it has ended. */
function readableHref(instance) {
  return instance.endTime ? instanceHref(instance.id) : runtimeHref(instance.id);
}

function ofBatch(batchId) {
  return { variables: [{ name: BATCH_VARIABLE, operator: 'eq', value: Number(batchId) }] };
}

/** The release batch id an instance carries, or null. */
function batchIdOf(rest, processInstanceId) {
  return rest.get('/history/variable-instance', { processInstanceIdIn: processInstanceId,
    variableName: BATCH_VARIABLE, deserializeValues: false, maxResults: 1 })
    .then(rows => (rows.length > 0 && typeof rows[0].value === 'number' ? rows[0].value : null));
}

/** The batch an instance belongs to: {batchId, batch}, batch null once its history is gone; null for no batch. */
function batchOf(rest, processInstanceId) {
  return batchIdOf(rest, processInstanceId).then(batchId => batchId === null ? null
    : rest.query('/history/process-instance', { firstResult: 0, maxResults: 1 },
      Object.assign({ processDefinitionKey: BATCH_PROCESS }, ofBatch(batchId)))
      .then(rows => ({ batchId, batch: rows[0] || null })));
}

/** "Release batch #5", linked to the batch's instance. */
function batchLink({ batchId, batch }) {
  // The id as it is, not as a localized number: "#1234" is what the console and the business key say.
  return batch
    ? el('a', { class: 'btn btn-default btn-sm mf-batch-link', href: readableHref(batch), 'data-batch-id': batchId,
      'data-instance-id': batch.id }, el('span', { class: 'glyphicon glyphicon-th-list' }), ' ',
    t('batchLink', String(batchId)))
    : el('span', { class: 'text-muted mf-batch-link', 'data-batch-id': batchId }, t('batchMissing', String(batchId)));
}

/** A batch's mini program releases, searched by AppID and state, a page at a time, with their count. */
function releasesPanel(rest, batchId) {
  const filters = { appId: '', state: '' };
  const results = el('div', { class: 'mf-release-results' });
  const appId = el('input', { class: 'form-control input-sm', name: 'appId', type: 'search',
    placeholder: t('appIdHint') });
  const state = el('select', { class: 'form-control input-sm', name: 'state' },
    el('option', { value: '' }, t('anyState')),
    Object.keys(STATES).map(s => el('option', { value: s }, t('state.' + s))));
  const show = page => {
    const query = Object.assign({
      processDefinitionKey: RELEASE_PROCESS,
      processInstanceBusinessKeyLike: filters.appId ? '%' + filters.appId + '%' : undefined
    }, ofBatch(batchId), STATES[filters.state] || {});
    const listed = Promise.all([
      rest.query('/history/process-instance/count', null, query),
      rest.query('/history/process-instance', { firstResult: page * PAGE_SIZE, maxResults: PAGE_SIZE },
        Object.assign({ sorting: RELEASE_ORDER }, query))
    ]).then(([count, rows]) => (rows.length === 0 ? Promise.resolve([])
      : rest.get('/history/process-instance', { processInstanceIds: rows.map(r => r.id).join(','),
        withIncidents: true, maxResults: PAGE_SIZE }).catch(() => []))
      .then(incidents => ({ count: count.count, rows, incidentIds: new Set(incidents.map(i => i.id)) })));
    fill(results, listed, ({ count, rows, incidentIds }) => {
      if (count === 0) {
        return el('p', { class: 'mf-empty mf-no-releases' },
          filters.appId || filters.state ? t('noReleasesMatch') : t('noReleases'));
      }
      return el('div', null,
        el('p', { class: 'mf-count mf-release-count', 'data-count': count }, t('releasesFound', count)),
        table([t('state'), t('appId'), t('started'), t('ended'), t('duration')],
          rows.map(r => el('tr', { class: 'mf-release', 'data-instance-id': r.id, 'data-app-id': r.businessKey || '' },
            el('td', null, stateLabel(r), incidentIds.has(r.id)
              ? el('span', { class: 'label label-danger mf-incident-flag' }, t('incident')) : null),
            el('td', null, el('a', { href: readableHref(r), class: 'mf-release-link' }, r.businessKey || r.id)),
            el('td', { class: 'mf-time' }, formatTime(r.startTime)),
            el('td', { class: 'mf-time' }, formatTime(r.endTime)),
            el('td', null, formatDuration(r.durationInMillis))))),
        count > PAGE_SIZE ? pager(page, PAGE_SIZE, count, show) : null);
    });
  };
  const form = el('form', { class: 'mf-filters mf-release-filters', onsubmit: event => {
    event.preventDefault();
    filters.appId = appId.value.trim();
    filters.state = state.value;
    show(0);
  } },
  el('label', { class: 'mf-wide' }, t('appId'), appId),
  el('label', null, t('state'), state),
  el('div', { class: 'mf-buttons' },
    el('button', { type: 'submit', class: 'btn btn-primary btn-sm mf-search' }, t('search'))));
  show(0);
  return el('div', { class: 'mf-releases', 'data-batch-id': batchId }, form, results);
}

/** What an instance has to do with a release batch: a batch's releases, or the batch a release belongs to. */
function batchPart(rest, instance) {
  if (instance.processDefinitionKey === BATCH_PROCESS) {
    return batchIdOf(rest, instance.id).then(batchId => batchId === null
      ? el('p', { class: 'mf-empty' }, t('noBatchId')) : releasesPanel(rest, batchId));
  }
  return batchOf(rest, instance.id).then(found => found
    ? el('p', null, batchLink(found)) : el('p', { class: 'mf-empty' }, t('notInBatch')));
}

function renderBatchTab(node, api, processInstanceId) {
  const rest = engine(api);
  const holder = el('div', { class: 'mf-batch-tab' });
  node.replaceChildren(holder);
  fill(holder, rest.get('/history/process-instance/' + encodeURIComponent(processInstanceId))
    .then(instance => batchPart(rest, instance)), part => part);
}

// --- styles and the plugins

function ensureStyles() {
  if (!document.querySelector('link[data-mf-history]')) {
    document.head.appendChild(el('link', { rel: 'stylesheet', 'data-mf-history': true,
      href: appRoot() + '/app/cockpit/scripts/miniflow-history.css' }));
  }
}

// The action bars beside Cockpit's diagrams are a column of icon buttons: ours shows a clock, its tooltip says History.
export default [
  {
    id: 'miniflow-history-navigation',
    pluginPoint: 'cockpit.navigation',
    priority: 5,
    render: node => {
      ensureStyles();
      node.appendChild(el('a', { href: '#/miniflow-history', class: 'mf-nav' }, t('nav')));
    },
    properties: {
      path: '/miniflow-history',
      checkActive: url => url.includes('#/miniflow-history')
    }
  },
  {
    id: 'miniflow-history-list',
    pluginPoint: 'cockpit.route',
    properties: { path: '/miniflow-history' },
    render: (node, { api }) => {
      ensureStyles();
      renderList(node, api);
    }
  },
  {
    id: 'miniflow-history-instance',
    pluginPoint: 'cockpit.route',
    properties: { path: '/miniflow-history/instance/:id' },
    render: (node, { api }) => {
      ensureStyles();
      const id = decodeURIComponent(currentRoute().path.split('/')[3] || '');
      renderInstance(node, api, id);
    }
  },
  {
    id: 'miniflow-history-definition-action',
    pluginPoint: 'cockpit.processDefinition.runtime.action',
    priority: 20,
    render: (node, { processDefinitionId }) => {
      node.appendChild(el('a', { class: 'btn btn-default action-button mf-history-action',
        href: listHref({ key: keyOf(processDefinitionId) }), title: t('title') }, el('span', { class: 'glyphicon glyphicon-time' })));
    }
  },
  {
    id: 'miniflow-history-instance-action',
    pluginPoint: 'cockpit.processInstance.runtime.action',
    priority: 20,
    render: (node, { processInstanceId }) => {
      node.appendChild(el('a', { class: 'btn btn-default action-button mf-history-action',
        href: instanceHref(processInstanceId), title: t('title') }, el('span', { class: 'glyphicon glyphicon-time' })));
    }
  },
  {
    // Cockpit shows a tab on every instance: on those that are neither a batch nor in one it says so.
    id: 'miniflow-release-batch-tab',
    pluginPoint: 'cockpit.processInstance.runtime.tab',
    priority: 5,
    properties: { label: t('releasesTab') },
    render: (node, { api, processInstanceId }) => {
      ensureStyles();
      renderBatchTab(node, api, processInstanceId);
    }
  },
  {
    // An instance of a batch gets a button to it; every other instance none.
    id: 'miniflow-release-batch-action',
    pluginPoint: 'cockpit.processInstance.runtime.action',
    priority: 19,
    render: (node, { api, processInstanceId }) => {
      batchOf(engine(api), processInstanceId).then(found => {
        if (found && found.batch && found.batch.id !== processInstanceId) {
          node.appendChild(el('a', { class: 'btn btn-default action-button mf-batch-action',
            href: readableHref(found.batch), title: t('batchLink', String(found.batchId)),
            'data-batch-id': found.batchId }, el('span', { class: 'glyphicon glyphicon-th-list' })));
        }
      }).catch(() => {});
    }
  }
];
