/**
 * Typeahead and pickers: floating IPs by address, by the instance they are
 * attached to or by pool; instances by name or by one of their addresses;
 * pools. Answers must come inside Slack's 3 s, so listings serve the next
 * keystrokes for a few seconds and names come from the cache where they can.
 */
import type { UseCaseContext } from './context.js';
import type { Attachment, Named, Outcome } from './failures.js';
import { byName } from './names.js';
import { compareAddresses, named } from './reachability.js';
import { type FloatingIpView, type ListFilter, matchesFilter } from './views.js';

/** Pools (external networks) by name. */
export function listPools(ctx: UseCaseContext): Promise<Outcome<Named[]>> {
  return ctx.run({}, async () => (await ctx.inventory.pools.get()).map((pool) => named(pool, pool.id)).sort(byName));
}

/** Text that can only be (the start of) an IPv4 address; an IPv6 one has a colon. */
function isAddressLike(text: string): boolean {
  return /^[\d.]+$/.test(text) || (/^[\da-f:.]+$/i.test(text) && text.includes(':'));
}

/**
 * Floating IPs matching `query`, for typeahead: at most `limit`, free ones
 * first. The address contains the text, or (case-insensitive) the name of
 * the instance the IP is attached to, or its pool's name does: the options
 * read "192.168.100.202 → web-2", so typing "web-2" finds it. The listing
 * serves the next keystrokes for a few seconds (typeaheadTtlMs). Digits and
 * dots only match addresses, and names come from the cache: a look at every
 * instance's name (one Nova listing, then cached) is only for text an
 * address cannot hold.
 */
export function searchFloatingIps(ctx: UseCaseContext, query: string, filter: ListFilter, limit = 100): Promise<Outcome<FloatingIpView[]>> {
  return ctx.run({}, async () => {
    const text = query.trim().toLowerCase();
    const listed = (await ctx.typeaheadIps.get()).filter((fip) => matchesFilter(fip, filter));
    const nameTyped = text !== '' && !isAddressLike(text);
    const all = nameTyped
      ? await ctx.inventory.attachmentsOf(listed).catch(() => ctx.inventory.attachmentsOf(listed, { names: 'none' }))
      : undefined;
    const attachmentByIp = new Map<string, Attachment | null>(all ? listed.map((fip, index) => [fip.id, all[index] ?? null]) : []);
    const pools = nameTyped ? await ctx.inventory.pools.get() : [];
    const poolMatches = new Set(pools.filter((pool) => pool.name.toLowerCase().includes(text)).map((pool) => pool.id));
    const matches = listed
      .filter(
        (fip) =>
          fip.address.includes(text) ||
          poolMatches.has(fip.networkId) ||
          (attachmentByIp.get(fip.id)?.instance?.name.toLowerCase().includes(text) ?? false),
      )
      .sort((a, b) => Number(a.portId !== null) - Number(b.portId !== null) || compareAddresses(a.address, b.address))
      .slice(0, limit);
    const attachments = all
      ? matches.map((fip) => attachmentByIp.get(fip.id) ?? null)
      : await ctx.inventory
          .attachmentsOf(matches, { names: 'cached' })
          .catch(() => ctx.inventory.attachmentsOf(matches, { names: 'none' }));
    return Promise.all(matches.map((fip, index) => ctx.view(fip, attachments[index] ?? null)));
  });
}

/** An instance the picker offers; `address`: the one of its addresses the typed text matched (shown beside the name). */
export interface InstanceMatch extends Named {
  address?: string;
}

/**
 * Instances whose name starts with `query`, and (when the text could be an
 * address) those with a fixed or floating address containing it: at most
 * `limit`. What was typed exactly (a whole name or address) comes first,
 * then by name, naturally (web-2 before web-10).
 */
export function searchInstances(ctx: UseCaseContext, query: string, limit = 20): Promise<Outcome<InstanceMatch[]>> {
  return ctx.run({}, async () => {
    const text = query.trim();
    const typed = text.toLowerCase();
    const exactly = (match: InstanceMatch) => match.name.toLowerCase() === typed || match.address === text;
    const [servers, byAddress] = await Promise.all([
      ctx.nova.searchServersByPrefix(text, limit),
      isAddressLike(text) ? instancesByAddress(ctx, text) : Promise.resolve([]),
    ]);
    const found = new Map<string, InstanceMatch>(byAddress.map((match) => [match.id, match]));
    // A name match needs no address beside it.
    for (const server of servers) found.set(server.id, named(server, server.id));
    return [...found.values()].sort((a, b) => Number(exactly(b)) - Number(exactly(a)) || byName(a, b)).slice(0, limit);
  });
}

/**
 * Instances with an address containing `text`: fixed addresses from the
 * project's ports, floating ones from its floating IPs (both listings
 * reused for a few seconds), names from the cache or one Nova listing.
 */
async function instancesByAddress(ctx: UseCaseContext, text: string): Promise<InstanceMatch[]> {
  const [ports, fips] = await Promise.all([ctx.typeaheadPorts.get(), ctx.typeaheadIps.get()]);
  const floatingOn = new Map<string, string[]>();
  for (const fip of fips) if (fip.portId) floatingOn.set(fip.portId, [...(floatingOn.get(fip.portId) ?? []), fip.address]);
  const matched = new Map<string, string>();
  for (const port of ports) {
    if (!port.deviceOwner.startsWith('compute:') || !port.deviceId || matched.has(port.deviceId)) continue;
    const addresses = [...port.fixedIps.map((ip) => ip.ipAddress), ...(floatingOn.get(port.id) ?? [])];
    const address = addresses.sort(compareAddresses).find((candidate) => candidate.includes(text));
    if (address) matched.set(port.deviceId, address);
  }
  const names = await ctx.inventory.serverNamesFor([...matched.keys()]);
  // An instance Nova no longer knows (deleted a moment ago) is not offered.
  return [...matched].flatMap(([id, address]) => {
    const name = names.get(id);
    return name === undefined ? [] : [{ id, name, address }];
  });
}
