/**
 * The topology the scenarios need beyond the seed (public, private, router1,
 * test_instance, web-1), built identically on any cloud:
 *
 *   pool-b      second external network, 203.0.113.0/29, pool .2-.4
 *               (router2's gateway takes one, two are left for floating IPs)
 *   backend     10.20.0.0/24, joined to pool-b by router2
 *   isolated    10.30.0.0/24, no router at all
 *   nogw        10.40.0.0/24, served by a router without a gateway
 *   v6net       2001:db8:1::/64, joined to public by router3
 *   two-nics    server on private + backend
 *   stranded    server on isolated + nogw
 *   v6only      server on v6net only
 */
import type { TopologyBuilder } from './topology-builder.js';

export interface ExtraTopology {
  poolB: { id: string; name: string };
  backend: { id: string; name: string; subnetName: string };
  isolated: { id: string; name: string; subnetName: string };
  nogw: { id: string; name: string; subnetName: string };
  router2: { id: string; name: string };
  routerNoGateway: { id: string; name: string };
  twoNics: { id: string; name: string };
  stranded: { id: string; name: string };
  v6only: { id: string; name: string };
}

export async function buildExtraTopology(builder: TopologyBuilder): Promise<ExtraTopology> {
  const [publicNet, privateNet] = await Promise.all([builder.findNetwork('public'), builder.findNetwork('private')]);
  const poolB = await builder.externalNetwork('pool-b', '203.0.113.0/29', { start: '203.0.113.2', end: '203.0.113.4' }, '203.0.113.1');
  const [backend, isolated, nogw, v6net] = await Promise.all([
    builder.privateNetwork('backend', '10.20.0.0/24'),
    builder.privateNetwork('isolated', '10.30.0.0/24'),
    builder.privateNetwork('nogw', '10.40.0.0/24'),
    builder.privateNetwork('v6net', '2001:db8:1::/64', 6),
  ]);
  const [router2, routerNoGateway] = await Promise.all([
    builder.router('router2', poolB.id, [backend.subnetId]),
    builder.router('router-nogw', null, [nogw.subnetId]),
    builder.router('router3', publicNet.id, [v6net.subnetId]),
  ]);
  // Sequential: a small cloud (2 cores) boots one fake server at a time anyway.
  const twoNics = await builder.server('two-nics', [privateNet.id, backend.id]);
  const stranded = await builder.server('stranded', [isolated.id, nogw.id]);
  const v6only = await builder.server('v6only', [v6net.id]);
  return { poolB, backend, isolated, nogw, router2, routerNoGateway, twoNics, stranded, v6only };
}
