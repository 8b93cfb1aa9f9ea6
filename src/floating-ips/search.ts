/**
 * Typeahead and pickers: floating IPs by address, instances by name prefix,
 * pools. Answers must come inside Slack's 3 s, so the IP search reuses one
 * listing for a few seconds and names instances from the cache only.
 */
import type { UseCaseContext } from './context.js';
import type { Named, Outcome } from './failures.js';
import { byName, compareNames } from './names.js';
import { compareAddresses, named } from './reachability.js';
import { type FloatingIpView, type ListFilter, matchesFilter } from './views.js';

/** Pools (external networks) by name. */
export function listPools(ctx: UseCaseContext): Promise<Outcome<Named[]>> {
  return ctx.run({}, async () => (await ctx.inventory.pools.get()).map((pool) => named(pool, pool.id)).sort(byName));
}

/**
 * Floating IPs whose address contains `query`, for typeahead: at most
 * `limit`, free ones first. The listing serves the next keystrokes for a
 * few seconds (typeaheadTtlMs); instance names come from the cache and a
 * few lookups only, never a listing of every server, so the answer stays fast.
 */
export function searchFloatingIps(ctx: UseCaseContext, query: string, filter: ListFilter, limit = 100): Promise<Outcome<FloatingIpView[]>> {
  return ctx.run({}, async () => {
    const text = query.trim();
    const matches = (await ctx.typeaheadIps.get())
      .filter((fip) => matchesFilter(fip, filter) && fip.address.includes(text))
      .sort((a, b) => Number(a.portId !== null) - Number(b.portId !== null) || compareAddresses(a.address, b.address))
      .slice(0, limit);
    const attachments = await ctx.inventory
      .attachmentsOf(matches, { names: 'cached' })
      .catch(() => ctx.inventory.attachmentsOf(matches, { names: 'none' }));
    return Promise.all(matches.map((fip, index) => ctx.view(fip, attachments[index] ?? null)));
  });
}

/** Instances whose name starts with `prefix`; what was typed exactly comes first ("web-1" before "web-10"), then by name. */
export function searchInstances(ctx: UseCaseContext, prefix: string, limit = 20): Promise<Outcome<Named[]>> {
  return ctx.run({}, async () => {
    const typed = prefix.trim().toLowerCase();
    const servers = await ctx.nova.searchServersByPrefix(prefix.trim(), limit);
    return servers
      .map((server) => named(server, server.id))
      .sort((a, b) => Number(b.name.toLowerCase() === typed) - Number(a.name.toLowerCase() === typed) || compareNames(a.name, b.name));
  });
}
