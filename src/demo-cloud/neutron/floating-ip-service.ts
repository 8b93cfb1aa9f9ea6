/**
 * Floating IP operations with Neutron's ordering of checks: quota first
 * (the API layer's quota hook), then the network, then the address
 * allocation, then the association rule; a failure after allocating releases
 * the address again, so a refused create leaks nothing.
 */
import { badRequest, NeutronError, neutronNotFound } from '../errors.js';
import { newUuid } from '../ids.js';
import type { AuthContext, FloatingIp } from '../model.js';
import { DEVICE_OWNER } from '../model.js';
import type { Store } from '../store.js';
import { resolveAssociation, validateAssociationFields } from './association-rule.js';
import { canSeeNetwork } from './visibility.js';

export interface CreateFloatingIp {
  /** Fixed id for seeded floating IPs; random otherwise. */
  id?: string;
  floatingNetworkId: string;
  projectId: string;
  subnetId?: string;
  floatingIpAddress?: string;
  description?: string;
  /** The request's floatingip dict, for the association part (port_id, fixed_ip_address). */
  body: Record<string, unknown>;
}

export function checkFloatingIpQuota(store: Store, projectId: string): void {
  const limit = store.quotaLimit(projectId, 'floatingip');
  if (limit >= 0 && store.countFloatingIps(projectId) + 1 > limit) {
    throw new NeutronError(409, 'OverQuota', "Quota exceeded for resources: ['floatingip'].");
  }
}

export function createFloatingIp(store: Store, ctx: AuthContext, request: CreateFloatingIp): FloatingIp {
  validateAssociationFields(request.body);
  checkFloatingIpQuota(store, request.projectId);
  const networkId = request.floatingNetworkId;
  const network = store.networks.get(networkId);
  if (!network || !canSeeNetwork(ctx, network)) throw neutronNotFound.network(networkId);
  if (!network.external) throw badRequest('floatingip', `Network ${networkId} is not a valid external network`);
  if (!store.subnetsOf(networkId).some((subnet) => subnet.ipVersion === 4)) {
    throw badRequest('floatingip', `Network ${networkId} does not contain any IPv4 subnet`);
  }
  if (request.subnetId !== undefined) {
    const subnet = store.subnets.get(request.subnetId);
    if (!subnet) throw neutronNotFound.subnet(request.subnetId);
    if (subnet.networkId !== networkId) {
      throw new NeutronError(
        400,
        'InvalidInput',
        `Invalid input for operation: Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${request.subnetId}.`,
      );
    }
  }
  const id = request.id ?? newUuid();
  const fixedIps =
    request.subnetId !== undefined || request.floatingIpAddress !== undefined
      ? [
          {
            ...(request.subnetId !== undefined ? { subnetId: request.subnetId } : {}),
            ...(request.floatingIpAddress !== undefined ? { ipAddress: request.floatingIpAddress } : {}),
          },
        ]
      : undefined;
  const externalPort = store.createPort({
    networkId,
    projectId: '',
    deviceId: id,
    deviceOwner: DEVICE_OWNER.floatingIp,
    status: 'N/A',
    ipv4Only: true,
    ...(fixedIps ? { fixedIps } : {}),
  });
  const address = externalPort.fixedIps.find((ip) => !ip.ipAddress.includes(':'));
  if (!address) {
    store.deletePort(externalPort.id);
    throw new NeutronError(400, 'ExternalIpAddressExhausted', `Unable to find any IP address on external network ${networkId}.`);
  }
  const draft = {
    id,
    projectId: request.projectId,
    floatingNetworkId: networkId,
    floatingIpAddress: address.ipAddress,
    portId: null,
    routerId: null,
  };
  let association;
  try {
    association = resolveAssociation(store, ctx, draft, request.body);
  } catch (error) {
    store.deletePort(externalPort.id);
    throw error;
  }
  const now = store.now();
  return store.addFloatingIp({
    ...draft,
    floatingPortId: externalPort.id,
    portId: association.portId,
    fixedIpAddress: association.fixedIpAddress,
    routerId: association.routerId,
    // No L3 agent ever reports it up, so it stays DOWN like the real Zed cloud's.
    status: 'DOWN',
    description: request.description ?? '',
    tags: [],
    createdAt: now,
    updatedAt: now,
    revisionNumber: 0,
  });
}

/**
 * PUT /floatingips/{id}: association change (or keep) plus description.
 * `precondition` runs after the association rule and before anything changes,
 * where Neutron's revision plugin enforces If-Match (at the first flush).
 * Every accepted update bumps revision_number and updated_at, even one that
 * changes nothing: l3_db re-assigns the association fields on every update,
 * SQLAlchemy counts that as dirty, and the revision plugin bumps what is dirty.
 */
export function updateFloatingIp(
  store: Store,
  ctx: AuthContext,
  fip: FloatingIp,
  body: Record<string, unknown>,
  precondition: () => void = () => undefined,
): void {
  validateAssociationFields(body);
  const association = resolveAssociation(store, ctx, fip, body);
  precondition();
  if (typeof body['description'] === 'string') fip.description = body['description'];
  store.associate(fip, association.portId, association.fixedIpAddress, association.routerId, { touch: false });
  store.touch(fip);
}
