/**
 * Neutron's floating IP association rule, step for step as in
 * neutron/db/l3_db.py (_check_and_get_fip_assoc, _get_assoc_data,
 * _internal_fip_assoc_data, get_router_for_floatingip), with the same
 * errors in the same order. The real code is the reference; the comments
 * name the upstream step each block stands for.
 */
import { badRequest, httpBadRequest, NeutronError, neutronNotFound } from '../errors.js';
import { looksLikeUuid } from '../ids.js';
import { canonicalIp, ipVersionOf } from '../ip.js';
import { describeValue } from '../json.js';
import type { AuthContext, FloatingIp, Port } from '../model.js';
import { DEVICE_OWNER } from '../model.js';
import type { Store } from '../store.js';
import { canSeePort, canSeeSubnet } from './visibility.js';

/** The floating IP being created or updated, as far as the rule needs it. */
export type AssociationTarget = Pick<FloatingIp, 'projectId' | 'floatingNetworkId' | 'floatingIpAddress' | 'portId' | 'routerId'> & {
  id: string;
};

export interface Association {
  portId: string | null;
  fixedIpAddress: string | null;
  routerId: string | null;
}

/** API-layer validation of port_id / fixed_ip_address (neutron-lib validators). */
export function validateAssociationFields(body: Record<string, unknown>): void {
  const portId = body['port_id'];
  if (portId !== undefined && portId !== null && (typeof portId !== 'string' || !looksLikeUuid(portId))) {
    throw httpBadRequest(`Invalid input for port_id. Reason: '${describeValue(portId)}' is not a valid UUID.`);
  }
  const fixedIp = body['fixed_ip_address'];
  if (fixedIp !== undefined && fixedIp !== null && (typeof fixedIp !== 'string' || canonicalIp(fixedIp) === undefined)) {
    throw httpBadRequest(`Invalid input for fixed_ip_address. Reason: '${describeValue(fixedIp)}' is not a valid IP address.`);
  }
}

function truthyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** get_router_for_floatingip: a router with an interface on the subnet AND a gateway on the pool. */
export function routerForFloatingIp(store: Store, port: Port, subnetId: string, externalNetworkId: string): string {
  const subnet = store.subnets.get(subnetId);
  let firstRouterId: string | undefined;
  // Walk routers (few) rather than the network's ports (maybe thousands); same result.
  for (const router of store.routers.values()) {
    const gateway = store.gatewayPortOf(router.id);
    if (!gateway || gateway.networkId !== externalNetworkId) continue;
    for (const candidate of store.interfacePortsOf(router.id)) {
      if (candidate.networkId !== port.networkId) continue;
      const interfaceIp = candidate.fixedIps.find((ip) => ip.subnetId === subnetId);
      if (!interfaceIp) continue;
      // Prefer the router that owns the subnet's gateway address, else the first one.
      if (subnet && interfaceIp.ipAddress === subnet.gatewayIp) return router.id;
      firstRouterId ??= router.id;
    }
  }
  if (firstRouterId !== undefined) return firstRouterId;
  throw new NeutronError(
    404,
    'ExternalGatewayForFloatingIPNotFound',
    `External network ${externalNetworkId} is not reachable from subnet ${subnetId}.  ` +
      `Therefore, cannot associate Port ${port.id} with a Floating IP.`,
  );
}

/** _internal_fip_assoc_data: the port, and which of its fixed IPv4 addresses to use. */
function internalAssociationData(
  store: Store,
  ctx: AuthContext,
  body: Record<string, unknown>,
  portId: string,
  fipProjectId: string,
): { port: Port; subnetId: string; fixedIp: string } {
  const port = store.ports.get(portId);
  if (!port || !canSeePort(ctx, store, port)) throw neutronNotFound.port(portId);
  if (port.projectId !== fipProjectId && !ctx.isAdmin) {
    throw badRequest(
      'floatingip',
      `Cannot process floating IP association with Port ${portId}, since that port is owned by a different tenant`,
    );
  }
  if (port.deviceOwner === DEVICE_OWNER.dhcp) {
    // Upstream never interpolates this message: the placeholder really reaches the client.
    throw badRequest('floatingip', 'Port %(id)s is unable to be assigned a floating IP');
  }
  const requested = body['fixed_ip_address'];
  if (truthyString(requested)) {
    const address = canonicalIp(requested) ?? requested;
    if (ipVersionOf(address) !== 4) {
      throw badRequest('floatingip', `Cannot process floating IP association with ${requested}, since that is not an IPv4 address`);
    }
    const match = port.fixedIps.find((ip) => ip.ipAddress === address);
    if (!match) throw badRequest('floatingip', `Port ${port.id} does not have fixed ip ${requested}`);
    return { port, subnetId: match.subnetId, fixedIp: address };
  }
  const ipv4 = port.fixedIps.filter((ip) => ipVersionOf(ip.ipAddress) === 4);
  const only = ipv4[0];
  if (!only) throw badRequest('floatingip', `Cannot add floating IP to port ${port.id} that has no fixed IPv4 addresses`);
  if (ipv4.length > 1) {
    throw badRequest(
      'floatingip',
      `Port ${port.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`,
    );
  }
  return { port, subnetId: only.subnetId, fixedIp: only.ipAddress };
}

/** _get_assoc_data: internal data, then the router joining it to the pool. */
function associationData(
  store: Store,
  ctx: AuthContext,
  body: Record<string, unknown>,
  portId: string,
  target: AssociationTarget,
): Association {
  const data = internalAssociationData(store, ctx, body, portId, target.projectId);
  const subnet = store.subnets.get(data.subnetId);
  if (!subnet || !canSeeSubnet(ctx, store, subnet)) throw neutronNotFound.subnet(data.subnetId);
  const routerId = routerForFloatingIp(store, data.port, data.subnetId, target.floatingNetworkId);
  return { portId, fixedIpAddress: data.fixedIp, routerId };
}

/**
 * _check_and_get_fip_assoc. `body` is the floatingip dict of the request
 * (after the API layer filled create defaults). Quirks kept on purpose:
 * omitting port_id in a non-empty update keeps (and re-validates) the current
 * association; an empty update dict disassociates, as upstream does.
 */
export function resolveAssociation(store: Store, ctx: AuthContext, target: AssociationTarget, body: Record<string, unknown>): Association {
  const portId = body['port_id'];
  if (truthyString(body['fixed_ip_address']) && !truthyString(portId)) {
    throw badRequest('floatingip', 'fixed_ip_address cannot be specified without a port_id');
  }
  if (truthyString(portId)) {
    const association = associationData(store, ctx, body, portId, target);
    if (portId === target.portId) return association;
    const taken = store
      .floatingIpsOnPort(portId)
      .find((other) => other.floatingNetworkId === target.floatingNetworkId && other.fixedIpAddress === association.fixedIpAddress);
    if (taken) {
      throw new NeutronError(
        409,
        'FloatingIPPortAlreadyAssociated',
        `Cannot associate floating IP ${target.floatingIpAddress} (${target.id}) with port ${portId} ` +
          `using fixed IP ${association.fixedIpAddress ?? ''}, as that fixed IP already ` +
          `has a floating IP on external network ${target.floatingNetworkId}.`,
      );
    }
    return association;
  }
  if (Object.keys(body).length > 0 && !('port_id' in body) && target.portId !== null) {
    return associationData(store, ctx, { ...body, port_id: target.portId }, target.portId, target);
  }
  return { portId: null, fixedIpAddress: null, routerId: null };
}
