import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NovaApi, escapeRegex, looksLikeUuid } from '../../src/openstack/compute.js';
import { FakeCloud, NOVA } from '../support/cloud.js';
import { sampleJson, sampleReply } from '../support/samples.js';
import { type RecordedRequest, json } from '../support/scripted-server.js';

let c: FakeCloud;
beforeEach(async () => {
  c = await FakeCloud.start();
});
afterEach(async () => {
  await c.close();
});

function nova(pageSize?: number): NovaApi {
  return new NovaApi(c.connect().client, pageSize === undefined ? {} : { pageSize });
}

function novaRequests(): RecordedRequest[] {
  return c.server.requests.filter((request) => request.path.startsWith(NOVA));
}

/** The recorded web-1 server detail, renamed and re-identified. */
function server(name: string, id = `id-${name}`): Record<string, unknown> {
  const recorded = sampleJson<{ servers: Array<Record<string, unknown>> }>('nova_get_servers_detail_200.txt').servers[0]!;
  return { ...recorded, id, name };
}

const WEB1_ID = 'b2dc15f6-4505-4cc6-806c-336033c03bbb';

describe('escapeRegex', () => {
  it.each([
    ['web-1', 'web\\-1'],
    ['a.b*', 'a\\.b\\*'],
    ['db_01', 'db\\_01'],
    ['x(1)[2]{3}', 'x\\(1\\)\\[2\\]\\{3\\}'],
    ['^a|b$', '\\^a\\|b\\$'],
    ['c++ and ?', 'c\\+\\+\\ and\\ \\?'],
    ['back\\slash/', 'back\\\\slash\\/'],
    ['Web01', 'Web01'],
  ])('escapeRegex escapes %s as %s.', (input, escaped) => {
    expect(escapeRegex(input)).toBe(escaped);
  });

  it.each([
    ['web-1', ['web-10', 'xweb-1', 'web-', 'web1']],
    ['a.b*', ['axb', 'a.bbb', 'a.b', 'aab*']],
    ['x(1)|y', ['x1', 'y', 'x(1)']],
    ['[ab]+', ['a', 'ab', 'b+']],
    ['C:\\temp', ['C:temp', 'C:\\\\temp']],
  ])('Anchored and used as a JS RegExp, the escape of %s matches only that literal text.', (input, others) => {
    const pattern = new RegExp(`^${escapeRegex(input)}$`);
    expect(pattern.test(input)).toBe(true);
    for (const other of others) expect(pattern.test(other)).toBe(false);
  });
});

describe('looksLikeUuid', () => {
  it('looksLikeUuid accepts dashed and undashed UUIDs in any case and refuses names.', () => {
    expect(looksLikeUuid(WEB1_ID)).toBe(true);
    expect(looksLikeUuid(WEB1_ID.toUpperCase())).toBe(true);
    expect(looksLikeUuid(WEB1_ID.replace(/-/g, ''))).toBe(true);
    expect(looksLikeUuid('web-1')).toBe(false);
    expect(looksLikeUuid(`${WEB1_ID}0`)).toBe(false);
  });
});

describe('findServer', () => {
  /** A server as the summary listing (GET /servers) shows it. */
  function summary(name: string, id = `id-${name}`): Record<string, unknown> {
    return { id, name, links: [] };
  }

  it('findServer sends the escaped, anchored name to the summary listing /servers and picks the exact match among regex hits (web-1 vs web-10).', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('web-10'), summary('web-1', WEB1_ID)] }));
    const lookup = await nova().findServer('web-1');
    expect(novaRequests().map((request) => `${request.path} ${request.query.get('name')}`)).toEqual([`${NOVA}/servers ^web\\-1$`]);
    expect(lookup).toEqual({ kind: 'found', server: { id: WEB1_ID, name: 'web-1' } });
  });

  it('findServer accepts a single case-insensitive match (MySQL matched it that way too).', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('Web-1', 'upper')] }));
    const lookup = await nova().findServer('web-1');
    expect(lookup.kind === 'found' && lookup.server.id).toBe('upper');
  });

  it('findServer prefers the one exact-case match over case-insensitive ones, without asking for details.', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('WEB-1', 'a'), summary('web-1', 'b'), summary('Web-1', 'c')] }));
    const lookup = await nova().findServer('web-1');
    expect(lookup.kind === 'found' && lookup.server.id).toBe('b');
    expect(novaRequests()).toHaveLength(1);
  });

  it('findServer reports several exact matches as ambiguous with their details (status, addresses) from /servers/detail.', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('web-1', 'a'), summary('web-10'), summary('web-1', 'b')] }));
    c.server.queue('GET', `${NOVA}/servers/detail`, json(200, { servers: [server('web-1', 'a'), server('web-10'), server('web-1', 'b')] }));
    const lookup = await nova().findServer('web-1');
    expect(novaRequests().map((request) => `${request.path} ${request.query.get('name')}`)).toEqual([
      `${NOVA}/servers ^web\\-1$`,
      `${NOVA}/servers/detail ^web\\-1$`,
    ]);
    expect(lookup.kind).toBe('ambiguous');
    if (lookup.kind !== 'ambiguous') return;
    expect(lookup.matches.map((match) => match.id)).toEqual(['a', 'b']);
    // The recorded web-1 detail, mapped: what the person is shown to tell the two apart.
    expect(lookup.matches[0]).toEqual({
      id: 'a',
      name: 'web-1',
      status: 'ACTIVE',
      projectId: 'e158fb6e930541178a56d9366a2be542',
      addresses: [
        { network: 'private', address: '10.0.0.210', version: 4, type: 'fixed' },
        { network: 'private', address: '192.168.100.189', version: 4, type: 'floating' },
      ],
    });
  });

  it('findServer reports several case-insensitive matches without an exact one as ambiguous.', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('WEB-1', 'a'), summary('Web-1', 'b')] }));
    c.server.queue('GET', `${NOVA}/servers/detail`, json(200, { servers: [server('WEB-1', 'a'), server('Web-1', 'b')] }));
    expect((await nova().findServer('web-1')).kind).toBe('ambiguous');
  });

  it('findServer reports the one server left when a duplicate disappears between the summary and the details.', async () => {
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary('web-1', 'a'), summary('web-1', 'b')] }));
    c.server.queue('GET', `${NOVA}/servers/detail`, json(200, { servers: [server('web-1', 'b')] }));
    const lookup = await nova().findServer('web-1');
    expect(lookup.kind === 'found' && lookup.server.id).toBe('b');
  });

  it('findServer reports not_found for the recorded empty answer and for regex-only hits.', async () => {
    c.server.queue(
      'GET',
      `${NOVA}/servers`,
      sampleReply('nova_get_servers_by_name_nomatch_200.txt'),
      json(200, { servers: [summary('web-10')] }),
    );
    expect(await nova().findServer('no-such-server')).toEqual({ kind: 'not_found' });
    expect(await nova().findServer('web-1')).toEqual({ kind: 'not_found' });
  });

  it('findServer tries GET /servers/{id} first for a UUID-looking input and searches no further when found.', async () => {
    c.server.queue('GET', `${NOVA}/servers/${WEB1_ID}`, sampleReply('nova_get_server_show_web1_200.txt'));
    const lookup = await nova().findServer(WEB1_ID);
    expect(lookup.kind === 'found' && lookup.server.name).toBe('web-1');
    expect(novaRequests().map((request) => request.path)).toEqual([`${NOVA}/servers/${WEB1_ID}`]);
  });

  it('findServer falls back to the name search when GET /servers/{id} answers the recorded 404.', async () => {
    const id = '4f7c003e-b5ad-476e-94f6-9e3303e5c446';
    c.server.queue('GET', `${NOVA}/servers/${id}`, sampleReply('nova_get_server_404.txt'));
    c.server.queue('GET', `${NOVA}/servers`, json(200, { servers: [summary(id, 'named-like-a-uuid')] }));
    const lookup = await nova().findServer(id);
    expect(novaRequests().map((request) => request.url.replace(/\?.*/, ''))).toEqual([`${NOVA}/servers/${id}`, `${NOVA}/servers`]);
    expect(novaRequests()[1]!.query.get('name')).toBe(`^${id.replace(/-/g, '\\-')}$`);
    expect(lookup.kind === 'found' && lookup.server.id).toBe('named-like-a-uuid');
  });

  it('findServer does not swallow errors other than 404 from GET /servers/{id}.', async () => {
    c.server.queue('GET', `${NOVA}/servers/${WEB1_ID}`, json(403, { forbidden: { code: 403, message: 'Policy does not allow' } }));
    await expect(nova().findServer(WEB1_ID)).rejects.toMatchObject({ status: 403, type: 'forbidden' });
    expect(novaRequests()).toHaveLength(1);
  });
});

describe('listing servers', () => {
  it('listServerNames follows servers_links until the last page.', async () => {
    c.server.queue(
      'GET',
      `${NOVA}/servers`,
      json(200, {
        servers: [
          { id: 's1', name: 'a', links: [] },
          { id: 's2', name: 'b', links: [] },
        ],
        servers_links: [{ rel: 'next', href: 'http://nova.internal:8774/v2.1/servers?limit=2&marker=s2' }],
      }),
      json(200, { servers: [{ id: 's3', name: 'c' }] }),
    );
    const names = await nova(2).listServerNames();
    expect(names).toEqual([
      { id: 's1', name: 'a' },
      { id: 's2', name: 'b' },
      { id: 's3', name: 'c' },
    ]);
    expect(novaRequests().map((request) => Object.fromEntries(request.query))).toEqual([{ limit: '2' }, { limit: '2', marker: 's2' }]);
  });

  it('searchServersByPrefix sends an escaped prefix pattern and the limit.', async () => {
    c.server.queue('GET', `${NOVA}/servers`, sampleReply('nova_get_servers_by_name_nomatch_200.txt'));
    await nova().searchServersByPrefix('web-', 25);
    expect(Object.fromEntries(novaRequests()[0]!.query)).toEqual({ name: '^web\\-', limit: '25' });
  });
});
