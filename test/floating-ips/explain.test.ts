import { describe, expect, it } from 'vitest';
import { explain, explainAsText, explainDiagnosis } from '../../src/floating-ips/explain.js';
import { operationNamed } from '../../src/operations/registry.js';
import { type Failure, type FailureBody, type FailureCode, failure } from '../../src/floating-ips/failures.js';

const web1 = { id: 'b2dc15f6-4505-4cc6-806c-336033c03bbb', name: 'web-1' };
const testInstance = { id: '243a270e-6616-4ece-a63c-2d4694af8238', name: 'test_instance' };
const pub = { id: '211a2480-a8c2-4390-bdd8-8bf0d717eb87', name: 'public' };
const pubB = { id: 'b-pool-id', name: 'public-b' };
const priv = { id: '6d862214-90b0-4081-a465-3b5cf513a004', name: 'private' };
const privSubnet = { id: 'ab4fc6d9-3d83-4cfa-aee4-eb8d9d6b99b0', name: 'private-subnet' };
const router1 = { id: 'e5c3fe41-0ce4-474c-92ba-b18ecc95f413', name: 'router1' };
const db1 = { portId: 'port-db1', fixedIp: '10.0.0.7', instance: { id: 'db1-id', name: 'db-1' }, deviceOwner: 'compute:nova' };
const target = (verdict: Extract<FailureBody, { code: 'not_reachable' }>['targets'][number]['verdict'], address = '10.0.0.210') => ({
  portId: 'p',
  address,
  ipVersion: 4 as const,
  network: priv,
  subnet: privSubnet,
  verdict,
});

/** One realistic failure of every code: the Record type makes the compiler insist on completeness. */
const EXAMPLES: { [C in FailureCode]: Extract<FailureBody, { code: C }> } = {
  invalid_address: { code: 'invalid_address', input: '192.168.1' },
  invalid_input: { code: 'invalid_input', field: 'fixed IP', problem: '"abc" is not an IP address' },
  instance_not_found: { code: 'instance_not_found', query: 'web-9' },
  instance_ambiguous: {
    code: 'instance_ambiguous',
    query: 'web',
    matches: [
      { id: 'id-1', name: 'web', status: 'ACTIVE', addresses: ['10.0.0.4'] },
      { id: 'id-2', name: 'web', status: 'SHUTOFF', addresses: [] },
    ],
  },
  floating_ip_not_found: { code: 'floating_ip_not_found', address: '192.168.100.23', project: 'chatops' },
  floating_ip_other_project: { code: 'floating_ip_other_project', address: '192.168.100.23', projectId: 'other-project-id' },
  pool_not_found: { code: 'pool_not_found', query: 'pubic', pools: [pub, pubB] },
  not_a_pool: { code: 'not_a_pool', network: priv, pools: [pub] },
  no_pools: { code: 'no_pools' },
  pool_ambiguous: { code: 'pool_ambiguous', pools: [pub, pubB] },
  instance_has_no_address: { code: 'instance_has_no_address', instance: web1 },
  instance_on_external_network: {
    code: 'instance_on_external_network',
    instance: testInstance,
    pool: pub,
    addresses: [{ address: '192.168.100.178', network: pub }],
  },
  only_ipv6: { code: 'only_ipv6', instance: web1, pool: pub, addresses: ['2001:db8::5'] },
  not_reachable: { code: 'not_reachable', instance: web1, pool: pub, targets: [target({ kind: 'no_router' })] },
  several_targets: {
    code: 'several_targets',
    instance: web1,
    pool: pub,
    targets: [target({ kind: 'reachable', router: router1 }), target({ kind: 'reachable', router: router1 }, '10.1.0.5')],
  },
  fixed_ip_not_on_instance: { code: 'fixed_ip_not_on_instance', instance: web1, fixedIp: '10.0.0.99', addresses: ['10.0.0.210'] },
  fixed_ip_has_floating_ip: { code: 'fixed_ip_has_floating_ip', instance: web1, fixedIp: '10.0.0.210', existing: '192.168.100.50' },
  would_move: { code: 'would_move', address: '192.168.100.23', from: db1, to: { instance: web1, fixedIp: '10.0.0.210' } },
  not_attached: { code: 'not_attached', address: '192.168.100.23' },
  attached_elsewhere: { code: 'attached_elsewhere', address: '192.168.100.23', expected: web1, actual: db1 },
  quota_exceeded: { code: 'quota_exceeded', used: 2, limit: 2 },
  pool_exhausted: { code: 'pool_exhausted', pool: pubB },
  address_in_use: { code: 'address_in_use', address: '192.168.100.23' },
  changed_concurrently: { code: 'changed_concurrently', address: '192.168.100.23' },
  port_forwarding_in_use: { code: 'port_forwarding_in_use', address: '192.168.100.23' },
  neutron_bad_request: { code: 'neutron_bad_request', message: 'Bad floatingip request: Port p has multiple fixed IPv4 addresses.' },
  forbidden: { code: 'forbidden', service: 'Neutron', message: 'rule:create_floatingip is disallowed by policy' },
  auth_failed: { code: 'auth_failed', message: 'The request you have made requires authentication.' },
  endpoint_not_found: {
    code: 'endpoint_not_found',
    service: 'Nova',
    message: 'the Keystone catalog has no public compute endpoint in region RegionTwo',
  },
  openstack_unreachable: { code: 'openstack_unreachable', service: 'Neutron', detail: 'ECONNREFUSED' },
  openstack_timeout: { code: 'openstack_timeout', service: 'Neutron', detail: 'no answer within 30000 ms' },
  openstack_unexpected_response: {
    code: 'openstack_unexpected_response',
    service: 'Neutron',
    detail: 'unexpected response from Neutron: floatingip.floating_ip_address: missing',
  },
  answer_lost: { code: 'answer_lost', address: '192.168.100.23' },
  service_unavailable: { code: 'service_unavailable', service: 'Keystone', status: 503 },
  openstack_error: {
    code: 'openstack_error',
    service: 'Neutron',
    status: 500,
    type: 'InternalServerError',
    message: 'Request Failed: internal server error',
  },
};

const attachFailure = (body: FailureBody, extra: Parameters<typeof failure>[1] = {}): Failure => failure(body, extra);
/** An operation's own words (what it could not do, what did not change), from its registry entry. */
const wordsOf = (name: string) => operationNamed(name)!.words;
const explainAttach = (f: Failure) => explain(f, wordsOf('attach'));

describe('plain-language explanations', () => {
  it.each(Object.values(EXAMPLES).map((body) => [body.code, body] as const))(
    'explains %s with a title, a cause, a remedy and what did not change',
    (_code, body) => {
      const words = explainAttach(attachFailure(body));
      for (const part of [words.title, words.cause, words.remedy, words.unchanged]) {
        expect(part.trim().length).toBeGreaterThan(10);
        expect(part).not.toMatch(/undefined|\[object Object\]|null\b|NaN/);
      }
      expect(words.title.length).toBeLessThanOrEqual(150);
      expect(words.title).not.toContain('\n');
    },
  );

  it('tells the seed story the way a colleague would: the answer, what to do, and the next steps', () => {
    const words = explainAttach(attachFailure(EXAMPLES.instance_on_external_network));
    expect(words.title).toBe('"test_instance" needs no floating IP: use 192.168.100.178');
    expect(words.remedy).toBe('It is directly on the public network "public": reach it at that address.');
    expect(words.cause).toBe(
      'Floating IPs are for instances on a private network routed to "public"; to give it one, connect it to such a network first.',
    );
    expect(words.unchanged).toBe('Nothing was changed: no floating IP was attached or allocated.');
    expect(words.question).toBe(false);
    expect(words.steps).toEqual([
      { kind: 'copy', label: 'Use 192.168.100.178', value: '192.168.100.178', note: 'the address "test_instance" already has' },
      { kind: 'command', label: 'Why?', command: `explain ${testInstance.id}` },
    ]);
  });

  it('asks questions as questions, with each choice as a command that names resources by id', () => {
    const create = explain(failure(EXAMPLES.pool_ambiguous), wordsOf('create'));
    expect(create.question).toBe(true);
    expect(create.remedy).toBe('Choose the pool to allocate from (or type `/fip create public`).');
    expect(create.steps).toEqual([
      { kind: 'command', label: 'Allocate from public', command: `create ${pub.id}` },
      { kind: 'command', label: 'Allocate from public-b', command: `create ${pubB.id}` },
    ]);
    const attachNew = explainAttach(attachFailure({ ...EXAMPLES.pool_ambiguous, instance: web1 }));
    expect(attachNew.steps[0]).toEqual({
      kind: 'command',
      label: 'Attach a new IP from public',
      command: `attach new ${web1.id} --pool ${pub.id}`,
    });
    const addresses = explainAttach(attachFailure({ ...EXAMPLES.several_targets, floatingIp: '192.168.100.23' }));
    expect(addresses.question).toBe(true);
    expect(addresses.title).toBe('Which address of "web-1" should get the floating IP?');
    expect(addresses.steps.map((step) => step.kind === 'command' && step.command)).toEqual([
      `attach 192.168.100.23 ${web1.id} --fixed-ip 10.0.0.210`,
      `attach 192.168.100.23 ${web1.id} --fixed-ip 10.1.0.5`,
    ]);
    const forNew = explainAttach(attachFailure(EXAMPLES.several_targets));
    expect(forNew.steps[0]).toMatchObject({ command: `attach new ${web1.id} --fixed-ip 10.0.0.210 --pool ${pub.id}` });
    expect(explainAttach(attachFailure(EXAMPLES.quota_exceeded)).question).toBe(false);
  });

  it('offers the pool the routers do reach when the asked one is not, without a placeholder', () => {
    const words = explainAttach(
      attachFailure({
        ...EXAMPLES.not_reachable,
        targets: [target({ kind: 'gateway_to_other_pool', routes: [{ router: router1, pool: pubB }] })],
      }),
    );
    expect(words.remedy).toContain('(`/fip attach new web-1 --pool public-b`)');
    expect(words.steps).toEqual([
      { kind: 'command', label: 'Attach a new IP from public-b', command: `attach new ${web1.id} --pool ${pubB.id}` },
      { kind: 'command', label: 'Why?', command: `explain ${web1.id}` },
    ]);
  });

  it('names networks, subnets and routers rather than ids', () => {
    const noRouter = explainAttach(attachFailure(EXAMPLES.not_reachable));
    expect(noRouter.cause).toContain('no router is connected to subnet "private-subnet"');
    expect(noRouter.remedy).toContain('openstack router add subnet ROUTER private-subnet');
    const otherPool = explainAttach(
      attachFailure({
        ...EXAMPLES.not_reachable,
        targets: [target({ kind: 'gateway_to_other_pool', routes: [{ router: router1, pool: pubB }] })],
      }),
    );
    expect(otherPool.cause).toContain('router "router1" has its gateway on "public-b", not on "public"');
    expect(otherPool.remedy).toContain('Take the floating IP from "public-b" instead');
    const noGateway = explainAttach(
      attachFailure({ ...EXAMPLES.not_reachable, targets: [target({ kind: 'router_without_gateway', routers: [router1] })] }),
    );
    expect(noGateway.remedy).toContain('openstack router set --external-gateway public router1');
    for (const words of [noRouter, otherPool, noGateway]) expect(JSON.stringify(words)).not.toContain(privSubnet.id);
  });

  it('gives the quota as used/limit and the existing floating IP of an address', () => {
    expect(explainAttach(attachFailure(EXAMPLES.quota_exceeded)).cause).toBe('This project already has 2 of its 2 floating IPs.');
    expect(explainAttach(attachFailure({ code: 'quota_exceeded', used: null, limit: null })).cause).not.toMatch(/null/);
    expect(explainAttach(attachFailure(EXAMPLES.fixed_ip_has_floating_ip)).remedy).toContain('/fip detach 192.168.100.50');
  });

  it('states what was not changed, per operation, and admits when the outcome is unknown', () => {
    expect(explain(failure(EXAMPLES.quota_exceeded), wordsOf('create')).unchanged).toBe('No floating IP was allocated.');
    expect(explain(failure(EXAMPLES.not_attached), wordsOf('detach')).unchanged).toMatch(/still where it was/);
    expect(explain(failure(EXAMPLES.changed_concurrently), wordsOf('release')).unchanged).toMatch(/was not released/);
    expect(explain(failure(EXAMPLES.openstack_timeout, { changed: 'unknown' }), wordsOf('attach')).unchanged).toMatch(
      /could not confirm whether the change was made/,
    );
  });

  it('calls an outage an outage: Keystone or Neutron busy or down is "unavailable", with when to try again, never "refused"', () => {
    for (const status of [502, 503, 504]) {
      const keystone = explainAttach(attachFailure({ code: 'service_unavailable', service: 'Keystone', status }));
      expect(keystone.title).toBe('Keystone is unavailable');
      expect(keystone.cause).toContain(`Keystone, the cloud's identity service, answered HTTP ${status}`);
      expect(keystone.remedy).toBe('Try again in a few minutes; if it lasts, tell the cloud operators.');
      expect(keystone.unchanged).toBe('Nothing was changed: no floating IP was attached or allocated.');
      expect(JSON.stringify(keystone)).not.toMatch(/refused/i);
    }
    const limited = explainAttach(attachFailure({ code: 'service_unavailable', service: 'Neutron', status: 429 }));
    expect(limited.remedy).toContain('try again in a minute');
  });

  it("sends a Keystone that cannot be reached, or refuses a request, to fipbot's administrators and its auth_url, not to the cloud operators", () => {
    for (const code of ['openstack_unreachable', 'openstack_timeout'] as const) {
      const keystone = explainAttach(attachFailure({ code, service: 'Keystone', detail: 'ENOTFOUND' }));
      expect(keystone.remedy).toBe(
        'Try again in a few minutes; if it persists, an administrator of fipbot should check its auth_url (`npm run doctor`).',
      );
      const neutron = explainAttach(attachFailure({ code, service: 'Neutron', detail: 'ENOTFOUND' }));
      expect(neutron.remedy).toBe('Try again in a few minutes; if it persists, tell the cloud operators.');
    }
    const notKeystone = explainAttach(
      attachFailure({ code: 'openstack_error', service: 'Keystone', status: 404, type: null, message: 'The resource could not be found.' }),
    );
    expect(notKeystone.remedy).toContain('an administrator of fipbot should check its auth_url (`npm run doctor`)');
  });

  it('carries the OpenStack request id for operators', () => {
    const text = explainAsText(
      attachFailure(EXAMPLES.pool_exhausted, { requestId: 'req-b2ada7a5-d51d-441c-8270-47b9657db933' }),
      wordsOf('attach'),
    );
    expect(text).toContain('OpenStack request: req-b2ada7a5-d51d-441c-8270-47b9657db933');
    expect(explainAttach(attachFailure(EXAMPLES.pool_exhausted)).requestId).toBeUndefined();
  });
});

describe('explaining a diagnosis', () => {
  const onPublic = {
    portId: 'p',
    address: '192.168.100.178',
    ipVersion: 4 as const,
    network: pub,
    subnet: { id: 's', name: 'public-subnet' },
    verdict: { kind: 'on_external_network' as const },
  };
  const v6 = { ...onPublic, address: '2001:db8::2c7', ipVersion: 6 as const, verdict: { kind: 'ipv6' as const } };

  it('says once, for every pool, that an instance on the public network needs no floating IP', () => {
    const words = explainDiagnosis({
      instance: testInstance,
      pools: [
        { pool: pub, reachable: false, targets: [onPublic, v6] },
        { pool: pubB, reachable: false, targets: [onPublic, v6] },
      ],
      floatingIps: [],
    });
    expect(words.title).toBe('"test_instance" needs no floating IP: use 192.168.100.178');
    expect(words.pools).toEqual([
      'It sits directly on the external network "public", so `192.168.100.178` already reaches it. Floating IPs only work for instances on a private network that a router connects to the pool; routers join external networks through their gateway, never through an interface, so Neutron cannot associate one here.',
    ]);
    expect(words.attached).toBeUndefined();
    expect(words.steps).toEqual([
      { kind: 'copy', label: 'Use 192.168.100.178', value: '192.168.100.178', note: 'the address "test_instance" already has' },
    ]);
  });

  it('gives one line per pool, with the route where there is one and the reason and remedy where not', () => {
    const reachable = {
      ...onPublic,
      address: '10.0.0.5',
      network: priv,
      subnet: privSubnet,
      verdict: { kind: 'reachable' as const, router: router1 },
    };
    const otherPool = { ...reachable, verdict: { kind: 'gateway_to_other_pool' as const, routes: [{ router: router1, pool: pub }] } };
    const words = explainDiagnosis({
      instance: web1,
      pools: [
        // Listed after the pool that does not work: the answer still starts with the one that does.
        { pool: pubB, reachable: false, targets: [otherPool] },
        { pool: pub, reachable: true, targets: [reachable] },
      ],
      floatingIps: [
        {
          id: 'f',
          address: '192.168.100.23',
          pool: pub,
          status: 'DOWN',
          description: '',
          revision: 1,
          attachment: { portId: 'p', fixedIp: '10.0.0.5', instance: web1, deviceOwner: 'compute:nova' },
        },
      ],
    });
    expect(words.title).toBe('"web-1" can take a floating IP from "public"');
    expect(words.steps).toEqual([
      { kind: 'command', label: 'Attach a new IP from public', command: `attach new ${web1.id} --pool ${pub.id}` },
    ]);
    expect(words.pools[0]).toBe('Pool "public": yes, for `10.0.0.5` on "private" (router "router1").');
    expect(words.pools[1]).toContain(
      'Pool "public-b": no. `10.0.0.5` on "private": router "router1" has its gateway on "public", not on "public-b".',
    );
    expect(words.pools[1]).toContain('Take the floating IP from "public" instead (`/fip attach new web-1 --pool public`)');
    expect(words.attached).toBe('Floating IPs on it now: `192.168.100.23` (on `10.0.0.5`).');
  });
});

describe('long explanations stay readable on a phone', () => {
  it('lists the first addresses of an unreachable instance and says how many more there are', () => {
    const targets = Array.from({ length: 40 }, (_, i) => target({ kind: 'no_router' }, `10.0.0.${i + 1}`));
    const words = explainAttach(attachFailure({ code: 'not_reachable', instance: web1, pool: pub, targets }));
    expect(words.cause.split('\n').filter((line) => line.startsWith('•'))).toHaveLength(9);
    expect(words.cause).toContain('…and 32 more addresses');
  });

  it('caps the list of same-named instances', () => {
    const matches = Array.from({ length: 50 }, (_, i) => ({ id: `id-${i}`, name: 'web', status: 'ACTIVE', addresses: [] }));
    const words = explainAttach(attachFailure({ code: 'instance_ambiguous', query: 'web', matches }));
    expect(words.cause).toContain('id-7 (ACTIVE) and 42 more.');
    expect(words.cause).not.toContain('id-8 ');
  });

  it('names the instance when asking which pool', () => {
    expect(explainAttach(attachFailure({ code: 'pool_ambiguous', pools: [pub, pubB], instance: web1 })).title).toBe(
      'Which pool for "web-1"?',
    );
    expect(explainAttach(attachFailure({ code: 'pool_ambiguous', pools: [pub, pubB] })).title).toBe('Which pool?');
  });
});
