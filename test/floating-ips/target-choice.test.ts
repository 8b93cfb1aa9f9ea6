import { describe, expect, it } from 'vitest';
import { FailureSignal, type Failure } from '../../src/floating-ips/failures.js';
import { targetsFor } from '../../src/floating-ips/reachability.js';
import { chooseTarget } from '../../src/floating-ips/target-choice.js';
import { network, port, router, routerInterface, seedTopology, subnet } from '../support/topology.js';

const instance = { id: 'server-1', name: 'web-1' };
const pool = { id: 'public', name: 'public' };

function refusal(run: () => unknown): Failure {
  try {
    run();
  } catch (error) {
    if (error instanceof FailureSignal) return error.failure;
    throw error;
  }
  throw new Error('expected a refusal');
}

const twoRoutedNics = seedTopology({
  networks: [network('backend')],
  subnets: [subnet('backend-subnet', 'backend', '10.1.0.0/24')],
  routers: [router('router2', 'public')],
  routerInterfaces: [routerInterface('router2', 'backend', 'backend-subnet', '10.1.0.1')],
});
const nics = [port('a', 'private', [['private-subnet', '10.0.0.5']]), port('b', 'backend', [['backend-subnet', '10.1.0.5']])];

describe('choosing where a floating IP goes', () => {
  it('picks the one reachable IPv4 address, skipping the IPv6 one beside it', () => {
    const ports = [
      port('a', 'private', [
        ['private-subnet', '10.0.0.5'],
        ['public-subnet-v6', '2001:db8::9'],
      ]),
    ];
    expect(chooseTarget(targetsFor(ports, seedTopology(), 'public'), { instance, pool }).address).toBe('10.0.0.5');
  });

  it('lists several reachable addresses instead of guessing, and --fixed-ip settles it', () => {
    const targets = targetsFor(nics, twoRoutedNics, 'public');
    const failure = refusal(() => chooseTarget(targets, { instance, pool }));
    expect(failure.code).toBe('several_targets');
    if (failure.code === 'several_targets') expect(failure.targets.map((t) => t.address)).toEqual(['10.1.0.5', '10.0.0.5']);
    expect(chooseTarget(targets, { instance, pool, fixedIp: '10.0.0.5' }).portId).toBe('a');
  });

  it('refuses a --fixed-ip that is not an address of the instance, listing its addresses', () => {
    const failure = refusal(() => chooseTarget(targetsFor(nics, twoRoutedNics, 'public'), { instance, pool, fixedIp: '10.0.0.99' }));
    expect(failure).toMatchObject({ code: 'fixed_ip_not_on_instance', fixedIp: '10.0.0.99', addresses: ['10.1.0.5', '10.0.0.5'] });
  });

  it('says the instance is on the public network when every IPv4 address is on an external network', () => {
    const ports = [
      port('p', 'public', [
        ['public-subnet', '192.168.100.178'],
        ['public-subnet-v6', '2001:db8::2c7'],
      ]),
    ];
    const failure = refusal(() => chooseTarget(targetsFor(ports, seedTopology(), 'public'), { instance, pool }));
    expect(failure).toMatchObject({
      code: 'instance_on_external_network',
      addresses: [{ address: '192.168.100.178', network: { id: 'public', name: 'public' } }],
      changed: 'nothing',
    });
  });

  it('says only IPv6 when the instance has no IPv4 address at all', () => {
    const ports = [port('p', 'public', [['public-subnet-v6', '2001:db8::2c7']])];
    expect(refusal(() => chooseTarget(targetsFor(ports, seedTopology(), 'public'), { instance, pool })).code).toBe('only_ipv6');
  });

  it('says the instance has no address when it has no port', () => {
    expect(refusal(() => chooseTarget([], { instance, pool })).code).toBe('instance_has_no_address');
  });

  it('explains each address when a mix of reasons leaves none reachable', () => {
    const topo = seedTopology({ networks: [network('isolated')], subnets: [subnet('isolated-subnet', 'isolated', '10.9.0.0/24')] });
    const ports = [port('a', 'isolated', [['isolated-subnet', '10.9.0.5']]), port('b', 'public', [['public-subnet', '192.168.100.7']])];
    const failure = refusal(() => chooseTarget(targetsFor(ports, topo, 'public'), { instance, pool }));
    expect(failure.code).toBe('not_reachable');
    if (failure.code === 'not_reachable') expect(failure.targets.map((t) => t.verdict.kind)).toEqual(['no_router', 'on_external_network']);
  });

  it('leaves the decision to Neutron when the only candidate is on a network whose routers are invisible to us', () => {
    const topo = seedTopology({
      networks: [network('shared-net', { projectId: 'someone-else', shared: true })],
      subnets: [subnet('shared-subnet', 'shared-net', '10.5.0.0/24')],
    });
    const ports = [port('a', 'shared-net', [['shared-subnet', '10.5.0.5']])];
    expect(chooseTarget(targetsFor(ports, topo, 'public'), { instance, pool }).verdict.kind).toBe('unknown');
  });
});
