/**
 * zod schemas for the Neutron resources fipbot reads, and their camelCase
 * domain shapes. Unknown fields are allowed (zod strips them); fields the bot
 * relies on are required, so a response without them is reported as an
 * unexpected response instead of crashing later. Extension fields
 * (revision_number, port_details, tags, description) are optional because
 * some clouds lack the extension.
 */
import { z } from 'zod';
import { linksSchema } from './links.js';

/** project_id came with Keystone v3; older Neutron only sends tenant_id. */
const ownership = {
  project_id: z.string().optional(),
  tenant_id: z.string().optional(),
};
function projectOf(raw: { project_id?: string | undefined; tenant_id?: string | undefined }): string {
  return raw.project_id ?? raw.tenant_id ?? '';
}

const portDetailsSchema = z.object({
  name: z.string().nullish(),
  network_id: z.string(),
  device_id: z.string(),
  device_owner: z.string(),
  status: z.string().nullish(),
});

export const floatingIpSchema = z
  .object({
    id: z.string(),
    floating_ip_address: z.string(),
    floating_network_id: z.string(),
    port_id: z.string().nullable(),
    fixed_ip_address: z.string().nullable(),
    router_id: z.string().nullish(),
    status: z.string().nullish(),
    description: z.string().nullish(),
    revision_number: z.number().int().optional(),
    port_details: portDetailsSchema.nullish(),
    tags: z.array(z.string()).optional(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    ...ownership,
  })
  .transform((raw) => ({
    id: raw.id,
    address: raw.floating_ip_address,
    networkId: raw.floating_network_id,
    portId: raw.port_id,
    fixedIpAddress: raw.fixed_ip_address,
    routerId: raw.router_id ?? null,
    status: raw.status ?? '',
    description: raw.description ?? '',
    revision: raw.revision_number,
    portDetails: raw.port_details
      ? {
          deviceId: raw.port_details.device_id,
          deviceOwner: raw.port_details.device_owner,
          networkId: raw.port_details.network_id,
          name: raw.port_details.name ?? '',
        }
      : null,
    tags: raw.tags ?? [],
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    projectId: projectOf(raw),
  }));
export type FloatingIp = z.output<typeof floatingIpSchema>;

export const networkSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    'router:external': z.boolean().optional(),
    shared: z.boolean().optional(),
    subnets: z.array(z.string()).optional(),
    status: z.string().nullish(),
    ...ownership,
  })
  .transform((raw) => ({
    id: raw.id,
    name: raw.name ?? '',
    external: raw['router:external'] ?? false,
    shared: raw.shared ?? false,
    subnetIds: raw.subnets ?? [],
    status: raw.status ?? '',
    projectId: projectOf(raw),
  }));
export type Network = z.output<typeof networkSchema>;

export const subnetSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    network_id: z.string(),
    ip_version: z.union([z.literal(4), z.literal(6)]),
    cidr: z.string(),
    gateway_ip: z.string().nullish(),
    ...ownership,
  })
  .transform((raw) => ({
    id: raw.id,
    name: raw.name ?? '',
    networkId: raw.network_id,
    ipVersion: raw.ip_version,
    cidr: raw.cidr,
    gatewayIp: raw.gateway_ip ?? null,
    projectId: projectOf(raw),
  }));
export type Subnet = z.output<typeof subnetSchema>;

const fixedIpSchema = z
  .object({ subnet_id: z.string(), ip_address: z.string() })
  .transform((raw) => ({ subnetId: raw.subnet_id, ipAddress: raw.ip_address }));
export type FixedIp = z.output<typeof fixedIpSchema>;

export const portSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    network_id: z.string(),
    device_id: z.string().nullish(),
    device_owner: z.string().nullish(),
    fixed_ips: z.array(fixedIpSchema),
    status: z.string().nullish(),
    ...ownership,
  })
  .transform((raw) => ({
    id: raw.id,
    name: raw.name ?? '',
    networkId: raw.network_id,
    deviceId: raw.device_id ?? '',
    deviceOwner: raw.device_owner ?? '',
    fixedIps: raw.fixed_ips,
    status: raw.status ?? '',
    projectId: projectOf(raw),
  }));
export type Port = z.output<typeof portSchema>;

export const routerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    status: z.string().nullish(),
    external_gateway_info: z
      .object({
        network_id: z.string(),
        external_fixed_ips: z.array(fixedIpSchema).optional(),
      })
      .nullish(),
    ...ownership,
  })
  .transform((raw) => ({
    id: raw.id,
    name: raw.name ?? '',
    status: raw.status ?? '',
    gateway: raw.external_gateway_info
      ? { networkId: raw.external_gateway_info.network_id, fixedIps: raw.external_gateway_info.external_fixed_ips ?? [] }
      : null,
    projectId: projectOf(raw),
  }));
export type Router = z.output<typeof routerSchema>;

const quotaEntrySchema = z.object({ limit: z.number(), used: z.number(), reserved: z.number().optional() });

export const quotaDetailsSchema = z
  .object({ quota: z.object({ floatingip: quotaEntrySchema }) })
  .transform((raw) => ({ floatingIps: { limit: raw.quota.floatingip.limit, used: raw.quota.floatingip.used } }));
export type QuotaDetails = z.output<typeof quotaDetailsSchema>;

/** GET /network-ip-availabilities/{id} (admin only by default): addresses in the allocation pools, and used, per subnet. */
export const ipAvailabilitySchema = z
  .object({
    network_ip_availability: z.object({
      subnet_ip_availability: z.array(z.object({ ip_version: z.number().int(), total_ips: z.number(), used_ips: z.number() })),
    }),
  })
  .transform((raw) => ({
    subnets: raw.network_ip_availability.subnet_ip_availability.map((s) => ({
      ipVersion: s.ip_version,
      total: s.total_ips,
      used: s.used_ips,
    })),
  }));
export type IpAvailability = z.output<typeof ipAvailabilitySchema>;

/** GET /extensions/{alias}: only that it is there matters. */
export const extensionSchema = z.object({ extension: z.object({ alias: z.string() }) });

export const floatingIpListSchema = z.object({ floatingips: z.array(floatingIpSchema), floatingips_links: linksSchema });
export const floatingIpBodySchema = z.object({ floatingip: floatingIpSchema });
export const networkListSchema = z.object({ networks: z.array(networkSchema), networks_links: linksSchema });
export const subnetListSchema = z.object({ subnets: z.array(subnetSchema), subnets_links: linksSchema });
export const portListSchema = z.object({ ports: z.array(portSchema), ports_links: linksSchema });
export const routerListSchema = z.object({ routers: z.array(routerSchema), routers_links: linksSchema });

/** Router interface ports, in every flavour Neutron's association rule accepts. */
export const ROUTER_INTERFACE_OWNERS = [
  'network:router_interface',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
] as const;
