/**
 * What changed between two polls of the project's floating IPs, in the words
 * people use: allocated, attached, detached, moved, released. Neutron bumps
 * revision_number (and updated_at) at every change; an IP whose revision
 * and time are the same is skipped unread, and for the rest the port says
 * what happened. Other edits (a description, a tag) are not news.
 */
import type { FloatingIp } from '../openstack/schemas/neutron.js';

/** One floating IP as a poll saw it. */
export interface Seen {
  id: string;
  address: string;
  pool: string;
  portId: string | null;
  fixedIp: string | null;
  revision: number | undefined;
  updatedAt: string | undefined;
  description: string;
}

export type Change =
  | { kind: 'allocated'; ip: Seen }
  | { kind: 'attached'; ip: Seen }
  | { kind: 'detached'; ip: Seen; was: Seen }
  | { kind: 'moved'; ip: Seen; was: Seen }
  | { kind: 'released'; ip: Seen };

export function seen(fip: FloatingIp, pool: string): Seen {
  return {
    id: fip.id,
    address: fip.address,
    pool,
    portId: fip.portId,
    fixedIp: fip.fixedIpAddress,
    revision: fip.revision,
    updatedAt: fip.updatedAt,
    description: fip.description,
  };
}

/** The changes from `before` to `after` (both by id), by address. */
export function changesBetween(before: ReadonlyMap<string, Seen>, after: ReadonlyMap<string, Seen>): Change[] {
  const changes: Change[] = [];
  for (const [id, ip] of after) {
    const was = before.get(id);
    if (!was) changes.push({ kind: 'allocated', ip });
    else if (was.revision !== ip.revision || was.updatedAt !== ip.updatedAt || was.portId !== ip.portId) {
      if (was.portId === ip.portId) continue;
      if (was.portId === null) changes.push({ kind: 'attached', ip });
      else if (ip.portId === null) changes.push({ kind: 'detached', ip, was });
      else changes.push({ kind: 'moved', ip, was });
    }
  }
  for (const [id, ip] of before) if (!after.has(id)) changes.push({ kind: 'released', ip });
  return changes.sort((a, b) => a.ip.address.localeCompare(b.ip.address, 'en', { numeric: true }));
}
