/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return --
   These tests read JSON bodies off the wire field by field; the assertions are the type checks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoCloud } from '../../src/demo-cloud/index.js';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { call, login } from './support.js';
import type { Reply } from './support.js';

let cloud: DemoCloud;
let token: string;

beforeEach(async () => {
  cloud = await startDemoCloud();
  token = await login(cloud);
});
afterEach(async () => {
  await cloud.close();
});

function neutron(method: string, path: string, options: { body?: unknown; ifMatch?: string } = {}): Promise<Reply> {
  return call(`${cloud.baseUrl}/network${path}`, {
    method,
    token,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.ifMatch !== undefined ? { headers: { 'If-Match': options.ifMatch } } : {}),
  });
}

const spare = () => cloud.state.floatingIp('192.168.100.201')!;
const show = async (id: string) => (await neutron('GET', `/v2.0/floatingips/${id}?fields=tags&fields=revision_number`)).json.floatingip;
const lease = 'fipbot-lease:2026-12-04T15:30:00Z';

// Every answer below is what the real Neutron (Zed) on this project's test cloud gave to the same request.
describe('Neutron standard-attr-tag on floating IPs', () => {
  it('adds a tag with 201 and a null body, bumps the revision once, and a tag it has changes nothing', async () => {
    const fip = spare();
    const added = await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${lease}`);
    expect(added.status).toBe(201);
    expect(added.text).toBe('null');
    expect(await show(fip.id)).toEqual({ tags: [lease], revision_number: 1 });
    expect((await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${lease}`)).status).toBe(201);
    expect(await show(fip.id)).toEqual({ tags: [lease], revision_number: 1 });
  });

  it('replaces all tags with 200 and the tags, bumping the revision only when they differ', async () => {
    const fip = spare();
    const tags = [lease, 'fipbot-owner:U123'];
    const replaced = await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags`, { body: { tags } });
    expect(replaced.status).toBe(200);
    expect(replaced.text).toBe(`{"tags": ["${lease}", "fipbot-owner:U123"]}`);
    expect(await show(fip.id)).toEqual({ tags, revision_number: 1 });
    await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags`, { body: { tags } });
    expect((await show(fip.id)).revision_number).toBe(1);
    expect((await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags`, { body: { tags: 'x' } })).text).toBe(
      `{"NeutronError": {"type": "InvalidInput", "message": "Invalid input for operation: 'x' is not a list.", "detail": ""}}`,
    );
  });

  it('removes a tag with 204 and answers TagNotFound for one it lacks', async () => {
    const fip = spare();
    await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${lease}`);
    expect((await neutron('DELETE', `/v2.0/floatingips/${fip.id}/tags/${lease}`)).status).toBe(204);
    expect(await show(fip.id)).toEqual({ tags: [], revision_number: 2 });
    const missing = await neutron('DELETE', `/v2.0/floatingips/${fip.id}/tags/nope`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('{"NeutronError": {"type": "TagNotFound", "message": "Tag nope could not be found.", "detail": ""}}');
  });

  it('filters the list by tags, refuses tags over 255 characters, a missing IP, and an If-Match with the real 500', async () => {
    const fip = spare();
    await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${lease}`);
    const listed = (await neutron('GET', `/v2.0/floatingips?tags=${lease}&fields=id`)).json.floatingips;
    expect(listed).toEqual([{ id: fip.id }]);
    expect((await neutron('GET', `/v2.0/floatingips?tags=fipbot-lease:other&fields=id`)).json.floatingips).toEqual([]);
    const long = await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${'a'.repeat(256)}`);
    expect(long.status).toBe(400);
    expect(long.json.NeutronError.message).toBe(`Invalid input for operation: '${'a'.repeat(256)}' exceeds maximum length of 255.`);
    expect((await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/${'a'.repeat(255)}`)).status).toBe(201);
    const absent = await neutron('PUT', '/v2.0/floatingips/00000000-0000-0000-0000-000000000000/tags/x');
    expect(absent.text).toBe(
      '{"NeutronError": {"type": "TagResourceNotFound", "message": "Resource floatingips 00000000-0000-0000-0000-000000000000 could not be found.", "detail": ""}}',
    );
    const guarded = await neutron('PUT', `/v2.0/floatingips/${fip.id}/tags/x1`, { ifMatch: 'revision_number=0' });
    expect(guarded.status).toBe(500);
    expect((await show(fip.id)).tags).not.toContain('x1');
  });
});
