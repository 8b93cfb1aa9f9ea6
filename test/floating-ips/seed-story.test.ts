/**
 * The seed's whole story, run through the real service and adapter against
 * the exchanges recorded from a real Keystone + Neutron + Nova
 * (test/fixtures/recorded/seed-story.json, made by
 * test/support/record-seed-story.ts). Each step must make exactly the
 * requests that were recorded: no more (a new request would find no answer),
 * no fewer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, explainAsText } from '../../src/floating-ips/explain.js';
import { attach } from '../../src/operations/attach/index.js';
import type { Failure, Outcome } from '../../src/floating-ips/failures.js';
import { FloatingIpService } from '../../src/operations/service.js';
import type { AttachResult, Allocated, Diagnosis, FloatingIpList, ReleaseResult, DetachResult } from '../../src/floating-ips/views.js';
import { type CloudConnection, connectCloud } from '../../src/openstack/cloud.js';
import { type Recording, type ReplayServer, startReplayServer } from '../support/recording.js';
import { SEED_STORY, STORY_OPERATION_TAG, type StoryState } from '../support/seed-story.js';

const recording = JSON.parse(readFileSync(new URL('../fixtures/recorded/seed-story.json', import.meta.url), 'utf8')) as Recording;

let replay: ReplayServer;
let connection: CloudConnection;
let service: FloatingIpService;
const state: StoryState = { ip: '', newIp: '' };

beforeAll(async () => {
  replay = await startReplayServer(recording);
  connection = connectCloud({
    name: 'replay',
    source: 'test',
    interface: 'public',
    insecure: false,
    regionName: 'RegionOne',
    auth: {
      type: 'password',
      authUrl: `${replay.url}/identity/v3`,
      username: 'chatops-bot',
      userDomain: { id: 'default' },
      password: 'bot-secret',
      projectName: 'chatops',
      projectDomain: { id: 'default' },
    },
  });
  service = new FloatingIpService(
    { neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() },
    { newOperationTag: () => STORY_OPERATION_TAG },
  );
  replay.useStep('setup');
  await connection.client.scope();
});

afterAll(async () => {
  await connection.close();
  await replay.close();
});

/** Runs one step of the story against its recorded exchanges; returns its outcome and the requests it made. */
async function step<T>(name: string): Promise<{ outcome: Outcome<T>; requests: ReplayServer['received'] }> {
  const storyStep = SEED_STORY.find((candidate) => candidate.name === name)!;
  replay.useStep(name);
  const before = replay.received.length;
  const outcome = (await storyStep.run(service, state)) as Outcome<T>;
  expect(replay.unmatched, 'requests the real cloud was never asked').toEqual([]);
  expect(
    replay.remaining().map((e) => `${e.method} ${e.path}`),
    'recorded requests the service no longer makes',
  ).toEqual([]);
  return { outcome, requests: replay.received.slice(before) };
}

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${explainAsText(outcome.failure, attach.words)}`);
  return outcome.value;
}

function failureOf<T>(outcome: Outcome<T>): Failure {
  if (outcome.ok) throw new Error('expected a failure');
  return outcome.failure;
}

const mutations = (requests: ReplayServer['received']) => requests.filter((r) => r.method !== 'GET');

describe('the seed story against recorded real OpenStack responses', () => {
  it('allocates a floating IP from the only pool, "public", with a description naming the request', async () => {
    const { outcome } = await step<Allocated>('allocate');
    const allocated = value(outcome);
    expect(allocated.floatingIp.address).toMatch(/^192\.168\.100\.\d+$/);
    expect(allocated.floatingIp.pool.name).toBe('public');
    expect(allocated.poolChoice).toBe('only_pool');
    expect(allocated.floatingIp.description).toBe(`seed story (fipbot op ${STORY_OPERATION_TAG})`);
    expect(allocated.requestId).toMatch(/^req-/);
    state.ip = allocated.floatingIp.address;
  });

  it('lists the new floating IP as free, in one Neutron request', async () => {
    const { outcome, requests } = await step<FloatingIpList>('list-after-allocate');
    const listed = value(outcome).floatingIps.find((fip) => fip.address === state.ip);
    expect(listed?.attachment).toBeNull();
    expect(listed?.pool.name).toBe('public');
    expect(requests).toHaveLength(1);
  });

  it('refuses to attach it to test_instance, which sits on "public", before calling Neutron, and explains why', async () => {
    const { outcome, requests } = await step<AttachResult>('attach-to-public-instance');
    const failure = failureOf(outcome);
    expect(failure.code).toBe('instance_on_external_network');
    expect(failure.changed).toBe('nothing');
    expect(mutations(requests)).toEqual([]);
    if (failure.code !== 'instance_on_external_network') return;
    expect(failure.instance.name).toBe('test_instance');
    const publicAddress = failure.addresses[0]!.address;
    expect(publicAddress).toMatch(/^192\.168\.100\.\d+$/);
    expect(failure.addresses[0]!.network.name).toBe('public');

    const words = explain(failure, attach.words);
    expect(words.title).toBe(`"test_instance" needs no floating IP: use ${publicAddress}`);
    expect(words.remedy).toBe('It is directly on the public network "public": reach it at that address.');
    expect(words.cause).toContain('"public"');
    expect(words.steps).toEqual([
      { kind: 'copy', label: `Use ${publicAddress}`, value: publicAddress, note: 'the address "test_instance" already has' },
      { kind: 'command', label: 'Why?', command: `explain ${failure.instance.id}` },
    ]);
    expect(words.unchanged).toMatch(/^Nothing was changed/);
  });

  it('diagnoses test_instance: pool "public" is unreachable because its IPv4 address is on the external network and the other is IPv6', async () => {
    const { outcome } = await step<Diagnosis>('diagnose-public-instance');
    const diagnosis = value(outcome);
    expect(diagnosis.instance.name).toBe('test_instance');
    const pub = diagnosis.pools.find((pool) => pool.pool.name === 'public')!;
    expect(pub.reachable).toBe(false);
    expect(pub.targets.map((t) => [t.ipVersion, t.verdict.kind])).toEqual([
      [4, 'on_external_network'],
      [6, 'ipv6'],
    ]);
    expect(diagnosis.floatingIps).toEqual([]);
  });

  it('attaches it to web-1 on "private" through router1, guarded by the revision it read', async () => {
    const { outcome, requests } = await step<AttachResult>('attach-to-private-instance');
    const result = value(outcome);
    expect(result.plan.target.network.name).toBe('private');
    expect(result.plan.target.router?.name).toBe('router1');
    expect(result.floatingIp.attachment?.instance?.name).toBe('web-1');
    expect(result.floatingIp.attachment?.fixedIp).toMatch(/^10\.0\.0\.\d+$/);
    const [put] = mutations(requests);
    expect(put?.method).toBe('PUT');
    expect(put?.headers['if-match']).toBe('revision_number=0');
    expect(JSON.parse(put!.body)).toEqual({
      floatingip: { port_id: result.plan.target.portId, fixed_ip_address: result.plan.target.address },
    });
  });

  it('lists it as attached to web-1 without asking Nova again (the name is cached)', async () => {
    const { outcome, requests } = await step<FloatingIpList>('list-attached');
    expect(value(outcome).floatingIps.map((fip) => [fip.address, fip.attachment?.instance?.name])).toEqual([[state.ip, 'web-1']]);
    expect(requests.filter((r) => r.service === 'compute')).toEqual([]);
  });

  it('detaches it from web-1 with an explicit port_id null', async () => {
    const { outcome, requests } = await step<DetachResult>('detach');
    expect(value(outcome).floatingIp.attachment).toBeNull();
    expect(value(outcome).plan.from.instance?.name).toBe('web-1');
    const [put] = mutations(requests);
    expect(JSON.parse(put!.body)).toEqual({ floatingip: { port_id: null } });
  });

  it('releases it', async () => {
    const { outcome, requests } = await step<ReleaseResult>('release');
    expect(value(outcome).plan.attachedTo).toBeNull();
    expect(mutations(requests).map((r) => r.method)).toEqual(['DELETE']);
  });

  it('allocates and attaches a new IP to web-1 in ONE request, so a refusal could leak nothing', async () => {
    const { outcome, requests } = await step<AttachResult>('attach-new');
    const result = value(outcome);
    state.newIp = result.floatingIp.address;
    expect(result.floatingIp.attachment?.instance?.name).toBe('web-1');
    const writes = mutations(requests);
    expect(writes.map((r) => r.method)).toEqual(['POST']);
    const body = JSON.parse(writes[0]!.body) as { floatingip: Record<string, unknown> };
    expect(body.floatingip).toMatchObject({ port_id: result.plan.target.portId, fixed_ip_address: result.plan.target.address });
  });

  it('releases the new IP, reporting it was attached to web-1', async () => {
    const { outcome } = await step<ReleaseResult>('release-new');
    expect(value(outcome).plan.attachedTo?.instance?.name).toBe('web-1');
  });

  it('ends with no floating IP left behind', async () => {
    const { outcome } = await step<FloatingIpList>('list-at-end');
    expect(value(outcome).floatingIps).toEqual([]);
  });
});
