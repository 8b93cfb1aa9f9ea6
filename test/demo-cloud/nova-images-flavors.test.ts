/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { clientFor, login, shapeOf } from './support.js';

let cloud: DemoCloud;
let api: ReturnType<typeof clientFor>;

beforeAll(async () => {
  cloud = await startDemoCloud();
  api = clientFor(cloud, await login(cloud));
});
afterAll(async () => {
  await cloud.close();
});

const at = (version: string): Record<string, string> => ({ 'OpenStack-API-Version': `compute ${version}` });

async function idOf(collection: 'images' | 'flavors', name: string): Promise<string> {
  const reply = await api.nova('GET', `/${collection}`);
  const item = (reply.json[collection] as Array<{ id: string; name: string }>).find((entry) => entry.name === name);
  if (!item) throw new Error(`no ${collection} named ${name}`);
  return item.id;
}

describe('Nova image proxy', () => {
  it("lists cirros with id, name and Nova's three links", async () => {
    const reply = await api.nova('GET', '/images');
    expect(reply.status).toBe(200);
    const id = await idOf('images', 'cirros');
    expect(reply.json).toEqual({
      images: [
        {
          id,
          name: 'cirros',
          links: [
            { rel: 'self', href: `${cloud.baseUrl}/compute/v2.1/images/${id}` },
            { rel: 'bookmark', href: `${cloud.baseUrl}/compute/images/${id}` },
            { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${cloud.baseUrl}/image/images/${id}` },
          ],
        },
      ],
    });
  });

  it("shows details in Nova's key order, in the list and alone", async () => {
    const id = await idOf('images', 'cirros');
    const detail = await api.nova('GET', '/images/detail');
    const shown = await api.nova('GET', `/images/${id}`);
    expect(shown.status).toBe(200);
    expect(detail.json.images).toEqual([shown.json.image]);
    expect(Object.keys(shown.json.image)).toEqual([
      'id',
      'name',
      'minRam',
      'minDisk',
      'metadata',
      'created',
      'updated',
      'status',
      'progress',
      'OS-EXT-IMG-SIZE:size',
      'links',
    ]);
    expect(shown.json.image).toMatchObject({ name: 'cirros', minRam: 0, minDisk: 0, metadata: {}, status: 'ACTIVE', progress: 100 });
    expect(shown.json.image['OS-EXT-IMG-SIZE:size']).toBe(1_048_576);
    expect(shown.json.image.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("filters by exact name and answers an unknown image with Nova's 404", async () => {
    expect((await api.nova('GET', '/images?name=cirros')).json.images).toHaveLength(1);
    expect((await api.nova('GET', '/images?name=cirr')).json.images).toEqual([]);
    const missing = await api.nova('GET', '/images/00000000-0000-4000-8000-000000000001');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"itemNotFound": {"code": 404, "message": "Image not found."}}');
  });

  it('is gone from microversion 2.36 on, with the plain 404 Nova gives a method it no longer has', async () => {
    const id = await idOf('images', 'cirros');
    expect((await api.nova('GET', '/images', undefined, at('2.35'))).status).toBe(200);
    for (const path of ['/images', '/images/detail', `/images/${id}`]) {
      const reply = await api.nova('GET', path, undefined, at('2.36'));
      expect(reply.status, path).toBe(404);
      expect(reply.text, path).toBe('{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}');
      expect(reply.headers.get('openstack-api-version')).toBe('compute 2.36');
    }
  });
});

describe('Nova flavors', () => {
  it('lists m1.tiny with exactly the bytes Nova writes at 2.1', async () => {
    const id = await idOf('flavors', 'm1.tiny');
    const self = `${cloud.baseUrl}/compute/v2.1/flavors/${id}`;
    const bookmark = `${cloud.baseUrl}/compute/flavors/${id}`;
    const links = `[{"rel": "self", "href": "${self}"}, {"rel": "bookmark", "href": "${bookmark}"}]`;
    // The real cloud logged 290, 459 and 456 body bytes for these three calls (same id length, base http://127.0.0.1:8774).
    const list = await api.nova('GET', '/flavors');
    expect(list.text).toBe(`{"flavors": [{"id": "${id}", "name": "m1.tiny", "links": ${links}}]}`);
    const details =
      `{"id": "${id}", "name": "m1.tiny", "ram": 64, "disk": 1, "swap": "", "OS-FLV-EXT-DATA:ephemeral": 0, ` +
      `"OS-FLV-DISABLED:disabled": false, "vcpus": 1, "os-flavor-access:is_public": true, "rxtx_factor": 1.0, "links": ${links}}`;
    expect((await api.nova('GET', '/flavors/detail')).text).toBe(`{"flavors": [${details}]}`);
    expect((await api.nova('GET', `/flavors/${id}`)).text).toBe(`{"flavor": ${details}}`);
  });

  it('adds description at 2.55 and extra_specs at 2.61, and shows swap as 0 from 2.75', async () => {
    const id = await idOf('flavors', 'm1.tiny');
    const list = await api.nova('GET', '/flavors', undefined, at('2.55'));
    expect(Object.keys(list.json.flavors[0])).toEqual(['id', 'name', 'links', 'description']);
    expect(list.json.flavors[0].description).toBeNull();
    const v261 = (await api.nova('GET', `/flavors/${id}`, undefined, at('2.61'))).json.flavor;
    expect(v261).toMatchObject({ swap: '', description: null, extra_specs: {} });
    expect(Object.keys(v261).slice(-3)).toEqual(['links', 'description', 'extra_specs']);
    expect((await api.nova('GET', `/flavors/${id}`, undefined, at('2.75'))).json.flavor.swap).toBe(0);
  });

  it('finds flavors by id only, as Nova does, and filters by minRam and minDisk', async () => {
    const byName = await api.nova('GET', '/flavors/m1.tiny');
    expect(byName.status).toBe(404);
    expect(byName.text).toBe('{"itemNotFound": {"code": 404, "message": "Flavor m1.tiny could not be found."}}');
    expect((await api.nova('GET', '/flavors?minRam=64&minDisk=1')).json.flavors).toHaveLength(1);
    expect((await api.nova('GET', '/flavors/detail?minRam=65')).json.flavors).toEqual([]);
    const bad = await api.nova('GET', '/flavors?minRam=lots');
    expect(bad.status).toBe(400);
    expect(bad.json.badRequest.message).toBe('Invalid minRam filter [lots]');
  });
});

describe('Nova boot with imageRef and flavorRef', () => {
  const privateNet = () => cloud.state.network('private').id;
  const boot = (server: Record<string, unknown>) =>
    api.nova('POST', '/servers', { server: { name: 'ref-test', networks: [{ uuid: privateNet() }], ...server } });
  const bootedNothing = async (): Promise<void> => {
    expect((await api.nova('GET', '/servers?name=ref-test')).json.servers).toEqual([]);
  };

  it('boots from the named image and flavor, and shows them on the server', async () => {
    const imageRef = await idOf('images', 'cirros');
    const flavorRef = await idOf('flavors', 'm1.tiny');
    const reply = await boot({ name: 'ref-ok', imageRef, flavorRef: `${cloud.baseUrl}/compute/flavors/${flavorRef}` });
    expect(reply.status).toBe(202);
    const server = (await api.nova('GET', `/servers/${reply.json.server.id}`)).json.server;
    expect(server.image.id).toBe(imageRef);
    expect(server.flavor.id).toBe(flavorRef);
    const v247 = (await api.nova('GET', `/servers/${reply.json.server.id}`, undefined, at('2.47'))).json.server;
    expect(v247.flavor).toEqual({ vcpus: 1, ram: 64, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
    expect((await api.nova('DELETE', `/servers/${reply.json.server.id}`)).status).toBe(204);
  });

  it("refuses an unknown imageRef with Nova's 400 and boots nothing", async () => {
    const ports = (await api.neutron('GET', `/v2.0/ports?network_id=${privateNet()}`)).json.ports.length;
    const reply = await boot({ imageRef: '00000000-0000-4000-8000-000000000001' });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('{"badRequest": {"code": 400, "message": "Can not find requested image"}}');
    expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    await bootedNothing();
    expect((await api.neutron('GET', `/v2.0/ports?network_id=${privateNet()}`)).json.ports).toHaveLength(ports);
  });

  it("refuses an imageRef that is no UUID with the request schema's message", async () => {
    const reply = await boot({ imageRef: 'cirros' });
    expect(reply.status).toBe(400);
    expect(reply.json.badRequest.message).toBe(
      "Invalid input for field/attribute imageRef. Value: cirros. 'cirros' is not valid under any of the given schemas",
    );
    await bootedNothing();
  });

  it("refuses an unknown flavorRef with Nova's FlavorNotFound text, checked before the image", async () => {
    const reply = await boot({ flavorRef: 'm1.huge', imageRef: '00000000-0000-4000-8000-000000000001' });
    expect(reply.status).toBe(400);
    expect(reply.text).toBe('{"badRequest": {"code": 400, "message": "Flavor m1.huge could not be found."}}');
    const empty = await boot({ flavorRef: '' });
    expect(empty.json.badRequest.message).toBe("Invalid input for field/attribute flavorRef. Value: . '' is too short");
    const wrongType = await boot({ flavorRef: null });
    expect(wrongType.json.badRequest.message).toBe(
      "Invalid input for field/attribute flavorRef. Value: None. None is not of type 'string', 'integer'",
    );
    await bootedNothing();
  });

  it('checks the image before the networks, as the compute API does', async () => {
    const reply = await api.nova('POST', '/servers', {
      server: {
        name: 'ref-test',
        imageRef: '00000000-0000-4000-8000-000000000001',
        networks: [{ uuid: '00000000-0000-4000-8000-0000000000ff' }],
      },
    });
    expect(reply.json.badRequest.message).toBe('Can not find requested image');
    const noImage = await api.nova('POST', '/servers', {
      server: { name: 'ref-test', networks: [{ uuid: '00000000-0000-4000-8000-0000000000ff' }] },
    });
    expect(noImage.json.badRequest.message).toBe('Network 00000000-0000-4000-8000-0000000000ff could not be found.');
  });

  it('still boots without imageRef and flavorRef, from cirros and m1.tiny', async () => {
    const reply = await boot({});
    expect(reply.status).toBe(202);
    const server = (await api.nova('GET', `/servers/${reply.json.server.id}`)).json.server;
    expect(server.image.id).toBe(await idOf('images', 'cirros'));
    expect(server.flavor.id).toBe(await idOf('flavors', 'm1.tiny'));
    expect(shapeOf(server.flavor)).toEqual(shapeOf({ id: '', links: [{ rel: '', href: '' }] }));
    await api.nova('DELETE', `/servers/${reply.json.server.id}`);
  });
});
