/**
 * Neutron resource dicts with the keys in the order the real API emits them
 * (see the recorded samples). The floating IP comes in two orders: create
 * puts project_id right after status, show/list/update put it last.
 */
import type { JsonObject } from '../json.js';
import type { FloatingIp, Network, Port, Router, Subnet } from '../model.js';
import type { Store } from '../store.js';

function standard(resource: { tags: string[]; createdAt: string; updatedAt: string; revisionNumber: number }): JsonObject {
  return {
    tags: [...resource.tags],
    created_at: resource.createdAt,
    updated_at: resource.updatedAt,
    revision_number: resource.revisionNumber,
  };
}

export function networkView(network: Network): JsonObject {
  return {
    id: network.id,
    name: network.name,
    tenant_id: network.projectId,
    admin_state_up: true,
    mtu: network.mtu,
    status: 'ACTIVE',
    subnets: [...network.subnetIds],
    shared: network.shared,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'router:external': network.external,
    description: network.description,
    port_security_enabled: true,
    // Only external networks carry is_default (auto-allocated-topology extension).
    ...(network.external ? { is_default: network.isDefault } : {}),
    ...standard(network),
    project_id: network.projectId,
  };
}

export function subnetView(subnet: Subnet): JsonObject {
  return {
    id: subnet.id,
    name: subnet.name,
    tenant_id: subnet.projectId,
    network_id: subnet.networkId,
    ip_version: subnet.ipVersion,
    subnetpool_id: null,
    enable_dhcp: subnet.enableDhcp,
    ipv6_ra_mode: subnet.ipv6RaMode,
    ipv6_address_mode: subnet.ipv6AddressMode,
    gateway_ip: subnet.gatewayIp,
    cidr: subnet.cidr,
    allocation_pools: subnet.allocationPools.map((pool) => ({ start: pool.start, end: pool.end })),
    host_routes: [],
    dns_nameservers: [...subnet.dnsNameservers],
    description: subnet.description,
    service_types: [],
    ...standard(subnet),
    project_id: subnet.projectId,
  };
}

export function portView(port: Port): JsonObject {
  return {
    id: port.id,
    name: port.name,
    network_id: port.networkId,
    tenant_id: port.projectId,
    mac_address: port.macAddress,
    admin_state_up: port.adminStateUp,
    status: port.status,
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: port.deviceOwner.startsWith('network:') ? [] : [DEFAULT_SECURITY_GROUP_ID],
    description: port.description,
    'binding:vnic_type': 'normal',
    port_security_enabled: !port.deviceOwner.startsWith('network:'),
    ...standard(port),
    project_id: port.projectId,
  };
}

export const DEFAULT_SECURITY_GROUP_ID = '51f4f680-e7cf-41e7-bdf7-044167f146bf';

export function routerView(store: Store, router: Router): JsonObject {
  const gateway = store.gatewayPortOf(router.id);
  return {
    id: router.id,
    name: router.name,
    tenant_id: router.projectId,
    admin_state_up: router.adminStateUp,
    status: router.status,
    external_gateway_info: gateway
      ? {
          network_id: gateway.networkId,
          external_fixed_ips: gateway.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
          enable_snat: router.enableSnat,
        }
      : null,
    description: router.description,
    availability_zones: [],
    availability_zone_hints: [],
    routes: [],
    flavor_id: null,
    ...standard(router),
    project_id: router.projectId,
  };
}

function portDetails(store: Store, fip: FloatingIp): JsonObject | null {
  const port = fip.portId === null ? undefined : store.ports.get(fip.portId);
  if (!port) return null;
  return {
    name: port.name,
    network_id: port.networkId,
    mac_address: port.macAddress,
    admin_state_up: port.adminStateUp,
    status: port.status,
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
  };
}

export function floatingIpView(store: Store, fip: FloatingIp, order: 'show' | 'create' = 'show'): JsonObject {
  const head: JsonObject = {
    id: fip.id,
    tenant_id: fip.projectId,
    floating_ip_address: fip.floatingIpAddress,
    floating_network_id: fip.floatingNetworkId,
    router_id: fip.routerId,
    port_id: fip.portId,
    fixed_ip_address: fip.fixedIpAddress,
    status: fip.status,
  };
  const tail: JsonObject = {
    description: fip.description,
    port_details: portDetails(store, fip),
    ...standard(fip),
  };
  return order === 'create' ? { ...head, project_id: fip.projectId, ...tail } : { ...head, ...tail, project_id: fip.projectId };
}
