/** The room before an allocation, in words: small print under a confirmation, and the reuse offer as buttons. */
import type { NextStep } from '../../floating-ips/next-steps.js';
import type { Named } from '../../floating-ips/failures.js';
import type { Headroom } from '../../floating-ips/views.js';
import { age } from './leaks.js';
import { escape } from './text.js';

/** "Quota: 3 of 10 floating IPs used" · "pool public: 239 addresses free". */
export function headroomNotes(headroom: Headroom | undefined, pool: Named): string[] {
  if (!headroom) return [];
  const { quota, poolFree } = headroom;
  return [
    quota
      ? quota.limit < 0
        ? `Quota: ${quota.used} floating IPs used, no limit`
        : `Quota: ${quota.used} of ${quota.limit} floating IPs used`
      : '',
    typeof poolFree === 'number'
      ? `Pool ${escape(pool.name)}: ${poolFree} address${poolFree === 1 ? '' : 'es'} free`
      : poolFree === 'not_visible'
        ? `Pool ${escape(pool.name)}: free addresses not visible with these credentials`
        : '',
  ].filter(Boolean);
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
