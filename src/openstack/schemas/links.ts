/** Pagination links, shared by Neutron (`<resource>_links`) and Nova (`servers_links`). */
import { z } from 'zod';

export const linksSchema = z.array(z.object({ rel: z.string(), href: z.string() })).optional();

/** The `marker` of a `rel: next` link, or undefined on the last page. Only the marker is used: the href's host may be an internal name. */
export function nextMarker(links: Array<{ rel: string; href: string }> | undefined): string | undefined {
  const next = links?.find((link) => link.rel === 'next');
  if (!next) return undefined;
  try {
    return new URL(next.href, 'http://placeholder.invalid').searchParams.get('marker') ?? undefined;
  } catch {
    return undefined;
  }
}
