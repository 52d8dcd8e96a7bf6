// The stytch-mock console. Everything shown comes from GET /_mock/state and is
// put on the page as text (textContent), never as markup: a phone number,
// email, attribute or claim holding HTML stays text.
'use strict';

(function () {
  const POLL_MS = 500;
  const $ = (id) => document.getElementById(id);
  const messageNodes = new Map();  // message id -> its <li>
  let nowUnix = 0;
  let usersJson = '';
  let organizationsJson = '';
  let signingKeys = false;

  // el('div', {class: 'x'}, child, 'text', ...): children are nodes or text.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function unix(rfc3339) {
    const t = Date.parse(rfc3339);
    return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
  }

  function clockTime(rfc3339) {
    const match = /T(\d\d:\d\d:\d\d)/.exec(rfc3339 || '');
    return match ? match[1] : String(rfc3339 || '');
  }

  function span(seconds) {
    const s = Math.abs(seconds);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function relative(rfc3339) {
    const delta = unix(rfc3339) - nowUnix;
    if (delta === 0) return 'now';
    return delta > 0 ? 'in ' + span(delta) : span(delta) + ' ago';
  }

  const CHANNELS = {sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email'};

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      const area = el('textarea', {class: 'offscreen', readonly: ''}, text);
      document.body.append(area);
      area.select();
      const copied = document.execCommand('copy');
      area.remove();
      if (copied) resolve(); else reject(new Error('copy refused'));
    });
  }

  function messageNode(m) {
    const code = el('span', {class: 'code', translate: 'no'}, m.code);
    const copy = el('button', {type: 'button', class: 'copy', 'aria-label': 'Copy code ' + m.code}, 'Copy');
    copy.addEventListener('click', () => {
      copyText(m.code).then(() => {
        copy.textContent = 'Copied';
        copy.dataset.copied = 'true';
      }, () => { copy.textContent = 'Select and copy'; });
      setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
    });
    const details = el('dl', {class: 'details'},
      el('dt', {}, 'method_id'), el('dd', {class: 'method-id mono'}, m.method_id),
      el('dt', {}, 'sent'), el('dd', {class: 'sent', title: m.sent_at}, clockTime(m.sent_at)),
      el('dt', {}, 'expires'), el('dd', {class: 'expires', title: m.expires_at}));
    if (m.ip_address !== undefined) {
      details.append(el('dt', {}, 'ip_address'), el('dd', {class: 'ip-address mono'}, m.ip_address));
    }
    if (m.user_agent !== undefined) {
      details.append(el('dt', {}, 'user_agent'), el('dd', {class: 'user-agent mono'}, m.user_agent));
    }
    const li = el('li', {class: 'message card', 'data-id': String(m.id), 'data-destination': m.destination},
      el('div', {class: 'card-head'},
        el('span', {class: 'channel channel-' + m.channel}, CHANNELS[m.channel] || m.channel),
        el('span', {class: 'destination mono'}, m.destination),
        el('span', {class: 'state'})),
      el('div', {class: 'code-row'}, code, copy),
      details);
    return li;
  }

  function updateMessage(li, m) {
    const state = li.querySelector('.state');
    if (li.dataset.state !== m.state) {
      li.dataset.state = m.state;
      state.textContent = m.state;
      state.className = 'state state-' + m.state;
    }
    const expires = li.querySelector('.expires');
    const text = clockTime(m.expires_at) + ' (' + relative(m.expires_at) + ')';
    if (expires.textContent !== text) expires.textContent = text;
  }

  function renderMessages(messages) {
    const list = $('messages');
    const seen = new Set();
    let previous = null;
    for (const m of messages) {  // newest first
      // Ids restart after a reset: the code and method tell messages apart.
      const key = m.id + ' ' + m.method_id + ' ' + m.code + ' ' + m.sent_at;
      seen.add(key);
      let li = messageNodes.get(key);
      if (!li) {
        li = messageNode(m);
        messageNodes.set(key, li);
      }
      updateMessage(li, m);
      const wanted = previous ? previous.nextSibling : list.firstChild;
      if (wanted !== li) list.insertBefore(li, wanted);
      previous = li;
    }
    for (const [key, li] of messageNodes) {
      if (!seen.has(key)) {
        li.remove();
        messageNodes.delete(key);
      }
    }
    $('outbox-count').textContent = messages.length ? '(' + messages.length + ')' : '';
    applyFilter();
  }

  function applyFilter() {
    const wanted = $('filter').value.trim().toLowerCase();
    let shown = 0;
    for (const li of messageNodes.values()) {
      const match = !wanted || li.dataset.destination.toLowerCase().includes(wanted);
      li.hidden = !match;
      if (match) shown += 1;
    }
    const empty = $('no-messages');
    empty.hidden = shown > 0;
    if (messageNodes.size > 0 && shown === 0) empty.textContent = 'No code sent to a destination matching the filter.';
    else empty.textContent = 'No code sent yet. Codes the mock would deliver by SMS, WhatsApp or email show here ' +
                             'the moment they are sent.';
  }

  function methodList(title, methods, className) {
    if (!methods.length) return null;
    return el('div', {class: 'methods'},
      el('h4', {}, title),
      el('ul', {class: className},
        ...methods.map((m) => el('li', {'data-verified': String(m.verified)},
          el('span', {class: 'value mono'}, m.value), ' ',
          el('span', {class: m.verified ? 'badge verified' : 'badge unverified'},
             m.verified ? 'verified' : 'not verified')))));
  }

  function sessionNode(s) {
    const claims = Object.keys(s.custom_claims || {}).length
      ? el('div', {class: 'claims'}, el('span', {class: 'label'}, 'custom claims '),
           el('code', {class: 'mono'}, JSON.stringify(s.custom_claims)))
      : null;
    return el('li', {class: 'session', 'data-status': s.status},
      el('div', {}, el('span', {class: 'session-id mono'}, s.session_id), ' ',
         el('span', {class: 'badge session-' + s.status}, s.status)),
      el('div', {class: 'muted'}, 'started ', el('span', {title: s.started_at}, clockTime(s.started_at)),
         ' · expires ', el('span', {title: s.expires_at}, clockTime(s.expires_at)),
         s.factors && s.factors.length ? ' · by ' + s.factors.join(', ') : ''),
      claims);
  }

  function renderUsers(users) {
    const list = $('user-list');
    list.replaceChildren(...users.map((u) => el('li', {class: 'user card', 'data-user-id': u.user_id},
      el('div', {class: 'card-head'},
        el('span', {class: 'user-id mono'}, u.user_id),
        el('span', {class: 'badge user-' + u.status}, u.status),
        u.sandbox ? el('span', {class: 'badge sandbox'}, 'sandbox') : null),
      el('div', {class: 'muted'}, 'created ', el('span', {title: u.created_at}, u.created_at)),
      methodList('Phone numbers', u.phone_numbers, 'phones'),
      methodList('Emails', u.emails, 'emails'),
      el('div', {class: 'methods'}, el('h4', {}, 'Sessions'),
        u.sessions.length ? el('ul', {class: 'sessions'}, ...u.sessions.map(sessionNode))
                          : el('p', {class: 'muted'}, 'none')))));
    $('user-count').textContent = users.length ? '(' + users.length + ')' : '';
  }

  function memberSessionNode(s) {
    const claims = Object.keys(s.custom_claims || {}).length
      ? el('div', {class: 'member-claims'}, el('span', {class: 'label'}, 'custom claims '),
           el('code', {class: 'mono'}, JSON.stringify(s.custom_claims)))
      : null;
    return el('li', {class: 'member-session', 'data-status': s.status},
      el('div', {}, el('span', {class: 'session-id mono'}, s.member_session_id), ' ',
         el('span', {class: 'badge session-' + s.status}, s.status)),
      el('div', {class: 'muted'}, 'started ', el('span', {title: s.started_at}, clockTime(s.started_at)),
         ' · expires ', el('span', {title: s.expires_at}, clockTime(s.expires_at)),
         s.factors && s.factors.length ? ' · by ' + s.factors.join(', ') : ''),
      claims);
  }

  function memberNode(m) {
    const phone = m.mfa_phone_number
      ? el('div', {}, el('span', {class: 'value mono'}, m.mfa_phone_number), ' ',
           el('span', {class: m.mfa_phone_number_verified ? 'badge verified' : 'badge unverified'},
              m.mfa_phone_number_verified ? 'verified' : 'not verified'))
      : null;
    return el('li', {class: 'member', 'data-member-id': m.member_id},
      el('div', {class: 'card-head'},
        el('span', {class: 'member-email mono'}, m.email_address),
        el('span', {class: 'badge user-' + m.status}, m.status),
        m.email_address_verified ? el('span', {class: 'badge verified'}, 'email verified') : null,
        m.is_admin ? el('span', {class: 'badge admin'}, 'admin') : null,
        m.mfa_enrolled ? el('span', {class: 'badge mfa'}, 'MFA enrolled') : null),
      m.name ? el('div', {class: 'member-name'}, m.name) : null,
      el('div', {class: 'muted mono member-id'}, m.member_id),
      phone,
      el('div', {class: 'muted'}, 'roles: ' + m.roles.join(', ')),
      m.sessions.length ? el('ul', {class: 'member-sessions'}, ...m.sessions.map(memberSessionNode)) : null);
  }

  function renderOrganizations(organizations) {
    $('organization-list').replaceChildren(...organizations.map((o) => el('li',
      {class: 'organization card', 'data-organization-id': o.organization_id, 'data-slug': o.organization_slug},
      el('div', {class: 'card-head'},
        el('span', {class: 'organization-slug mono'}, o.organization_slug),
        el('span', {class: 'organization-name'}, o.organization_name),
        el('span', {class: o.mfa_policy === 'REQUIRED_FOR_ALL' ? 'badge mfa' : 'badge'},
           o.mfa_policy === 'REQUIRED_FOR_ALL' ? 'MFA required' : 'MFA optional'),
        o.email_jit_provisioning === 'RESTRICTED'
          ? el('span', {class: 'badge'}, 'JIT: ' + o.email_allowed_domains.join(', ')) : null),
      el('div', {class: 'muted mono'}, o.organization_id),
      o.members.length ? el('ul', {class: 'members'}, ...o.members.map(memberNode))
                       : el('p', {class: 'muted'}, 'no members'))));
    $('organization-count').textContent = organizations.length ? '(' + organizations.length + ')' : '';
    $('no-organizations').hidden = organizations.length > 0;
  }

  function render(state) {
    nowUnix = state.now_unix;
    const status = $('status');
    status.className = 'status live';
    status.textContent = 'live · mock clock ' + clockTime(state.now) + ' UTC';
    status.title = state.now;
    signingKeys = state.signing_keys === true;
    $('rotate-keys').hidden = !signingKeys;
    renderMessages(state.messages);
    const json = JSON.stringify(state.users);
    if (json !== usersJson) {
      usersJson = json;
      renderUsers(state.users);
    }
    const organizations = (state.b2b && state.b2b.organizations) || [];
    const organizationsText = JSON.stringify(organizations);
    if (organizationsText !== organizationsJson) {
      organizationsJson = organizationsText;
      renderOrganizations(organizations);
    }
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const res = await fetch('/_mock/state', {cache: 'no-store', credentials: 'omit'});
      if (!res.ok) throw new Error('HTTP ' + res.status);
      render(await res.json());
    } catch (e) {
      const status = $('status');
      status.className = 'status down';
      status.textContent = 'cannot reach the mock (' + e.message + '), retrying';
    } finally {
      polling = false;
    }
  }

  async function control(path, body, done) {
    const result = $('control-result');
    try {
      const res = await fetch(path, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(body),
        credentials: 'omit',
      });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer.error_message || 'HTTP ' + res.status);
      result.className = 'control-result ok';
      result.textContent = done;
    } catch (e) {
      result.className = 'control-result failed';
      result.textContent = 'Failed: ' + e.message;
    }
    await poll();
  }

  function advance() {
    const seconds = Number($('advance-seconds').value);
    if (!Number.isInteger(seconds) || seconds < 1) {
      $('control-result').className = 'control-result failed';
      $('control-result').textContent = 'Give a whole number of seconds, 1 or more.';
      return;
    }
    control('/_mock/clock', {advance_seconds: seconds}, 'Clock advanced by ' + seconds + ' s.');
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('advance').addEventListener('click', advance);
    $('advance-seconds').addEventListener('keydown', (e) => { if (e.key === 'Enter') advance(); });
    $('reset').addEventListener('click', () => control('/_mock/reset', {}, 'State reset.'));
    $('rotate-keys').addEventListener('click', () => control('/_mock/keys/rotate', {}, 'Signing keys rotated.'));
    $('filter').addEventListener('input', applyFilter);
    poll();
    setInterval(poll, POLL_MS);
  });
})();
