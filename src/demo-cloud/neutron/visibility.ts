/**
 * Neutron's default policy reduced to what a member can see: its own
 * project's resources, shared and external networks (and their subnets), and
 * ports on networks its project owns. Admin sees everything. Anything not
 * visible answers 404, as Neutron does, never 403.
 */
import type { AuthContext, FloatingIp, Network, Port, Router, Subnet } from '../model.js';
import type { Store } from '../store.js';

export function canSeeNetwork(ctx: AuthContext, network: Network): boolean {
  return ctx.isAdmin || network.projectId === ctx.projectId || network.shared || network.external;
}

export function canSeeSubnet(ctx: AuthContext, store: Store, subnet: Subnet): boolean {
  if (ctx.isAdmin || subnet.projectId === ctx.projectId) return true;
  const network = store.networks.get(subnet.networkId);
  return network !== undefined && (network.shared || network.external);
}

export function canSeePort(ctx: AuthContext, store: Store, port: Port): boolean {
  if (ctx.isAdmin || port.projectId === ctx.projectId) return true;
  return store.networks.get(port.networkId)?.projectId === ctx.projectId;
}

export function canSeeRouter(ctx: AuthContext, router: Router): boolean {
  return ctx.isAdmin || router.projectId === ctx.projectId;
}

export function canSeeFloatingIp(ctx: AuthContext, fip: FloatingIp): boolean {
  return ctx.isAdmin || fip.projectId === ctx.projectId;
}
