/**
 * zod schemas for the Nova server shapes fipbot reads. `addresses` may lag
 * Neutron by seconds (Nova learns of floating IPs from notifications), so the
 * floating-IP service treats Neutron ports as the truth and uses these only
 * for names and display.
 */
import { z } from 'zod';
import { linksSchema } from './links.js';

export const serverSummarySchema = z.object({ id: z.string(), name: z.string() });
export type ServerSummary = z.output<typeof serverSummarySchema>;

const addressSchema = z.object({
  addr: z.string(),
  version: z.number().optional(),
  'OS-EXT-IPS:type': z.string().optional(),
});

export const serverDetailSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.string().optional(),
    tenant_id: z.string().optional(),
    addresses: z.record(z.string(), z.array(addressSchema)).optional(),
  })
  .transform((raw) => ({
    id: raw.id,
    name: raw.name,
    status: raw.status ?? '',
    projectId: raw.tenant_id ?? '',
    addresses: Object.entries(raw.addresses ?? {}).flatMap(([network, list]) =>
      list.map((entry) => ({
        network,
        address: entry.addr,
        version: entry.version ?? (entry.addr.includes(':') ? 6 : 4),
        type: entry['OS-EXT-IPS:type'] ?? 'fixed',
      })),
    ),
  }));
export type ServerDetail = z.output<typeof serverDetailSchema>;

export const serverListSchema = z.object({ servers: z.array(serverSummarySchema), servers_links: linksSchema });
export const serverDetailListSchema = z.object({ servers: z.array(serverDetailSchema), servers_links: linksSchema });
export const serverBodySchema = z.object({ server: serverDetailSchema });
