import {h, fill, clock, duration} from '../util.js';
import {store, canOperate} from '../store.js';
import {get, post} from '../api.js';

/** Every connection with its status and last error; OPC UA server certificates to trust. */
export function connectionsView(root) {
  const body = h('tbody');
  const certs = h('div', {class: 'certs'});
  const error = h('p', {class: 'error-text'});
  root.append(
    h('div', {class: 'page-head'}, h('h1', {}, 'Connections')),
    error,
    h(
      'section',
      {class: 'panel'},
      h(
        'table',
        {class: 'table', id: 'connections'},
        h('thead', {}, h('tr', {}, h('th', {}, 'Connection'), h('th', {}, 'Type'), h('th', {}, 'Status'), h('th', {}, 'Since'), h('th', {}, 'Machines'), h('th', {}, 'Last error'))),
        body
      )
    ),
    h('section', {class: 'panel'}, h('h2', {}, 'Server certificates'), h('p', {class: 'muted'}, 'OPC UA servers whose certificate is not trusted yet. Check the thumbprint with the machine before trusting it.'), certs)
  );

  async function load() {
    try {
      const c = await get('api/connections');
      error.textContent = '';
      const list = c.connections || [];
      fill(
        body,
        list.map((x) =>
          h(
            'tr',
            {dataset: {connection: x.id}},
            h('td', {}, h('b', {}, x.id)),
            h('td', {}, x.type),
            h('td', {}, h('span', {class: 'conn-status conn-' + x.status}, x.status)),
            h('td', {}, clock(Date.parse(x.since)), ' ', h('span', {class: 'muted'}, '(' + duration((Date.now() - Date.parse(x.since)) / 1000) + ')')),
            h('td', {}, (x.machines || []).join(', ')),
            h('td', {class: 'last-error'}, x.lastError || '–')
          )
        )
      );
      await loadCertificates(list.filter((x) => x.type === 'opcua'));
    } catch (e) {
      error.textContent = 'Connections unavailable: ' + e.message;
    }
  }

  async function loadCertificates(opcua) {
    const blocks = [];
    for (const c of opcua) {
      let list = [];
      try {
        list = (await get('api/connections/' + encodeURIComponent(c.id) + '/certificates')).certificates || [];
      } catch (e) {
        blocks.push(h('p', {}, c.id + ': ' + e.message));
        continue;
      }
      blocks.push(
        h(
          'div',
          {class: 'cert-block'},
          h('h3', {}, c.id),
          list.length === 0
            ? h('p', {class: 'muted'}, 'No certificate waiting.')
            : h(
                'table',
                {class: 'table'},
                h('thead', {}, h('tr', {}, h('th', {}, 'Subject'), h('th', {}, 'Thumbprint'), h('th', {}, 'Valid until'), h('th', {}, 'Status'), h('th', {}))),
                h(
                  'tbody',
                  {},
                  list.map((cert) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, cert.subject),
                      h('td', {class: 'mono'}, cert.thumbprint),
                      h('td', {}, cert.notAfter),
                      h('td', {}, cert.status),
                      h(
                        'td',
                        {},
                        cert.status === 'trusted'
                          ? null
                          : h(
                              'button',
                              {
                                class: 'btn',
                                disabled: !canOperate(),
                                title: canOperate() ? 'Trust this server certificate' : 'needs an operator token',
                                onclick: async (ev) => {
                                  ev.target.disabled = true;
                                  try {
                                    await post('api/connections/' + encodeURIComponent(c.id) + '/certificates/' + cert.thumbprint + '/trust');
                                  } catch (e) {
                                    alertText(e.message);
                                  }
                                  load();
                                },
                              },
                              'Trust'
                            )
                      )
                    )
                  )
                )
              )
        )
      );
    }
    fill(certs, blocks.length ? blocks : h('p', {class: 'muted'}, 'No OPC UA connection.'));
  }

  function alertText(msg) {
    error.textContent = msg;
  }

  load();
  const timer = setInterval(load, 5000);
  return {destroy: () => clearInterval(timer)};
}
