/** The room before an allocation, in words: small print under a confirmation, and the reuse offer as buttons. */
import type { NextStep } from '../../floating-ips/next-steps.js';
import type { Named } from '../../floating-ips/failures.js';
import type { Headroom, Room } from '../../floating-ips/views.js';
import { age } from './leaks.js';
import { escape } from './text.js';

/** "Quota: 3 of 10 floating IPs used" · "pool public: 239 addresses free". */
export function headroomNotes(headroom: Headroom | undefined, pool: Named): string[] {
  if (!headroom) return [];
  return [quotaNote(headroom.quota), poolFreeNote(pool, headroom.poolFree)].filter(Boolean);
}

/** The Home tab's line: the quota, then each pool's free addresses, or once that none are visible. */
export function roomNote(room: Room): string {
  const visible = room.pools.some(({ free }) => free !== 'not_visible');
  const pools = visible
    ? room.pools.map(({ pool, free }) => poolFreeNote(pool, free))
    : room.pools.length > 0
      ? ['Free addresses in the pools not visible with these credentials']
      : [];
  const more = visible && room.morePools > 0 ? [`…and ${room.morePools} more pool${room.morePools === 1 ? '' : 's'}`] : [];
  return [quotaNote(room.quota), ...pools, ...more].filter(Boolean).join(' · ');
}

function quotaNote(quota: Headroom['quota']): string {
  if (!quota) return '';
  return quota.limit < 0 ? `Quota: ${quota.used} floating IPs used, no limit` : `Quota: ${quota.used} of ${quota.limit} floating IPs used`;
}

function poolFreeNote(pool: Named, free: Headroom['poolFree']): string {
  if (typeof free === 'number') return `Pool ${escape(pool.name)}: ${free} address${free === 1 ? '' : 'es'} free`;
  return free === 'not_visible' ? `Pool ${escape(pool.name)}: free addresses not visible with these credentials` : '';
}

/** An unattached IP of the pool instead of a new one: to attach (`instanceRef`), or just to know it is there. */
export function reuseSteps(headroom: Headroom | undefined, instanceRef?: string): NextStep[] {
  return (headroom?.reusable ?? []).map((ip) => {
    const label = `Use ${ip.address} (unattached ${age(ip, headroom!.asOf)})`;
    return instanceRef
      ? { kind: 'command', label, command: `attach ${ip.address} ${instanceRef}` }
      : {
          kind: 'copy',
          label,
          value: ip.address,
          note: `already this project's, unattached ${age(ip, headroom!.asOf)}: no need to allocate another`,
        };
  });
}
