/**
 * Nova's server representations at microversion 2.1 and the later ones
 * fipbot might ask for, keys in the order the recorded samples show.
 * `addresses` is derived live from Neutron ports and floating IPs (the real
 * Nova shows a new floating IP only seconds later, from its info cache).
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from './json.js';
import type { Server } from './model.js';
import type { Store } from './store.js';

export interface Microversion {
  major: 2;
  minor: number;
}

export const MIN_MICROVERSION = 1;
/** Zed's maximum. */
export const MAX_MICROVERSION = 93;

export function atLeast(version: Microversion, minor: number): boolean {
  return version.minor >= minor;
}

/** Where Nova's links point: <base>/compute/v2.1 for self, <base>/compute for bookmarks. */
export interface LinkBase {
  application: string;
  bookmark: string;
  /** Where Glance would be (devstack's /image), for the image proxy's "alternate" links. */
  image: string;
}

function links(base: LinkBase, id: string): JsonObject[] {
  return [
    { rel: 'self', href: `${base.application}/servers/${id}` },
    { rel: 'bookmark', href: `${base.bookmark}/servers/${id}` },
  ];
}

export function serverSummary(base: LinkBase, server: Server): JsonObject {
  return { id: server.id, name: server.name, links: links(base, server.id) };
}

export function addressesOf(store: Store, server: Server): JsonObject {
  const result: Record<string, JsonObject[]> = {};
  for (const port of store.portsOfDevice(server.id)) {
    const label = store.networks.get(port.networkId)?.name ?? port.networkId;
    const entries = (result[label] ??= []);
    for (const ip of port.fixedIps) {
      entries.push({
        version: ip.ipAddress.includes(':') ? 6 : 4,
        addr: ip.ipAddress,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': port.macAddress,
      });
    }
    for (const fip of store.floatingIpsOnPort(port.id)) {
      entries.push({
        version: 4,
        addr: fip.floatingIpAddress,
        'OS-EXT-IPS:type': 'floating',
        'OS-EXT-IPS-MAC:mac_addr': port.macAddress,
      });
    }
  }
  return result;
}

/** nova.utils.sanitize_hostname, enough for seeded names. */
function hostnameOf(name: string): string {
  return name
    .replace(/[ _.]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .toLowerCase()
    .replace(/^[.-]+|[.-]+$/g, '');
}

function hostId(server: Server): string {
  return createHash('sha224').update(`${server.projectId}demo-compute`).digest('hex');
}

export function serverDetail(store: Store, base: LinkBase, server: Server, version: Microversion, shape: 'show' | 'detail'): JsonObject {
  const bookmark = (kind: string, id: string): JsonObject => ({
    id,
    links: [{ rel: 'bookmark', href: `${base.bookmark}/${kind}/${id}` }],
  });
  const record = store.flavors.get(server.flavorId);
  const flavor: JsonObject = atLeast(version, 47)
    ? {
        vcpus: record?.vcpus ?? 1,
        ram: record?.ramMb ?? 64,
        disk: record?.diskGb ?? 1,
        ephemeral: record?.ephemeralGb ?? 0,
        swap: record?.swapMb ?? 0,
        original_name: record?.name ?? 'm1.tiny',
        extra_specs: {},
      }
    : bookmark('flavors', server.flavorId);
  const securityGroups = [{ name: 'default' }];
  const view: JsonObject = {
    id: server.id,
    name: server.name,
    status: server.status,
    tenant_id: server.projectId,
    user_id: server.userId,
    metadata: {},
    hostId: hostId(server),
    image: bookmark('images', server.imageId),
    flavor,
    created: server.createdAt,
    updated: server.updatedAt,
    addresses: addressesOf(store, server),
    accessIPv4: '',
    accessIPv6: '',
    links: links(base, server.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: 0,
    'OS-EXT-AZ:availability_zone': 'nova',
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': `${server.launchedAt.slice(0, 19)}.000000`,
    'OS-SRV-USG:terminated_at': null,
  };
  if (shape === 'show') view['security_groups'] = securityGroups;
  view['OS-EXT-STS:task_state'] = null;
  view['OS-EXT-STS:vm_state'] = server.status === 'ACTIVE' ? 'active' : server.status.toLowerCase();
  view['OS-EXT-STS:power_state'] = server.status === 'ACTIVE' ? 1 : 0;
  view['os-extended-volumes:volumes_attached'] = [];
  if (atLeast(version, 9)) view['locked'] = false;
  if (atLeast(version, 73)) view['locked_reason'] = null;
  if (atLeast(version, 19)) view['description'] = server.name;
  if (atLeast(version, 26)) view['tags'] = [];
  if (atLeast(version, 63)) view['trusted_image_certificates'] = null;
  if (atLeast(version, 90)) view['OS-EXT-SRV-ATTR:hostname'] = hostnameOf(server.name);
  if (shape === 'detail') view['security_groups'] = securityGroups;
  return view;
}
