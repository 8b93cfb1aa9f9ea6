/**
 * The floating-IP list: one row per IP, attached ones first, with its
 * actions in one overflow menu (Detach and Release when attached, Attach…
 * and Release when free) behind a dialog that says what each would do.
 * Long lists page. Used by the list message and the Home tab.
 */
import { allocationOwner } from '../allocation-stamp.js';
import { leaseRowNote } from '../../floating-ips/lease.js';
import type { FloatingIpList, FloatingIpView, ListFilter } from '../../floating-ips/views.js';
import { ACTIONS, rowBlockId, rowMenuValue, type RowAction, type RowOperation } from './ids.js';
import { LIMITS } from './limits.js';
import { button, clip, code, confirmDialog, context, escapeName, bold, header, mention, plain, plural, section } from './text.js';

export const PAGE_SIZE = 10;

export interface ListPage {
  filter: ListFilter;
  page: number;
}

/** Where the list is shown: Home has its own Allocate button above it. */
export type ListSurface = 'message' | 'home';

const FILTER_WORDS: Record<ListFilter, string> = { all: 'floating IP', free: 'free floating IP', attached: 'attached floating IP' };

/** Names in a dialog's sentence are cut short, so that the sentence fits its 300 characters. */
const DIALOG_NAME = 60;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const byAddress = new Intl.Collator('en', { numeric: true }).compare;

/** Attached IPs first, then free ones; by address within each (numeric-aware: .9 before .10). Pages follow this order. */
export function inListOrder(fips: readonly FloatingIpView[]): FloatingIpView[] {
  return [...fips].sort((a, b) => Number(!a.attachment) - Number(!b.attachment) || byAddress(a.address, b.address));
}

function rowAction(fip: FloatingIpView, list: ListPage): RowAction {
  return {
    id: fip.id,
    address: fip.address,
    ...(fip.revision !== undefined ? { revision: fip.revision } : {}),
    ...(fip.attachment ? { portId: fip.attachment.portId } : {}),
    list,
  };
}

function attachedTo(fip: FloatingIpView): string {
  const a = fip.attachment;
  if (!a) return 'free';
  const name = a.instance ? bold(a.instance.name) : escapeName(a.deviceOwner || `port ${a.portId}`);
  return `→ ${name}${a.fixedIp ? ` (${code(a.fixedIp)})` : ''}`;
}

/** "3 Dec", or "3 Dec 2025" when not this year (`day` is YYYY-MM-DD). */
export function shortDate(day: string, now: Date): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return `${date} ${MONTHS[month - 1] ?? '?'}${year === now.getUTCFullYear() ? '' : ` ${year}`}`;
}

/** Who asked for the IP, when fipbot allocated it ("by @alice · 3 Dec"); another IP's own description, escaped. */
function ownerText(fip: FloatingIpView, now: Date): string {
  const owner = allocationOwner(fip);
  if (owner) return `by ${mention(owner.userId)}${owner.date ? ` · ${shortDate(owner.date, now)}` : ''}`;
  return fip.description ? escapeName(clip(fip.description, 120)) : '';
}

/** What picking each row action does, in a dialog (Slack shows one dialog per menu, whichever option was picked). */
function rowDialog(fip: FloatingIpView) {
  const pool = clip(fip.pool.name, DIALOG_NAME);
  const release = `Release gives ${fip.address} back to pool ${pool}; the project may not get this address again.`;
  if (!fip.attachment)
    return confirmDialog({
      title: `Attach or release ${fip.address}?`,
      text: `${release} Attach… only opens the form.`,
      confirm: 'Go ahead',
      deny: 'Keep it',
      style: 'danger',
    });
  const a = fip.attachment;
  const where = clip(a.instance?.name ?? (a.deviceOwner || `port ${a.portId}`), DIALOG_NAME);
  return confirmDialog({
    title: `Detach or release ${fip.address}?`,
    text: `Detach: ${where} is no longer reachable at ${fip.address}; the IP stays in the project. ${release}`,
    confirm: 'Go ahead',
    deny: 'Keep it',
    style: 'danger',
  });
}

const ROW_LABELS: Record<RowOperation, string> = { attach: 'Attach…', detach: 'Detach', release: 'Release' };

/** The row's actions in one overflow menu: each option carries what a row button carried, and its operation. */
function rowMenu(fip: FloatingIpView, list: ListPage) {
  const operations: RowOperation[] = fip.attachment ? ['detach', 'release'] : ['attach', 'release'];
  const row = rowAction(fip, list);
  return {
    type: 'overflow' as const,
    action_id: ACTIONS.rowMenu,
    options: operations.map((operation) => ({
      text: plain(ROW_LABELS[operation], LIMITS.optionText),
      value: rowMenuValue(operation, row),
    })),
    confirm: rowDialog(fip),
  };
}

/**
 * One block per IP: its address, where it is attached, its pool and owner, and the menu of its actions.
 * `list`: the page the row is on, shown again after a change made from it; `now`: the bot's clock, for the date.
 */
export function rowBlocks(fip: FloatingIpView, list: ListPage, now: Date): unknown[] {
  const lease = fip.leaseEndsAt === undefined ? '' : leaseRowNote(fip.leaseEndsAt, now.getTime());
  const details = [`pool ${escapeName(fip.pool.name)}`, ownerText(fip, now), lease].filter(Boolean).join(' · ');
  return [{ ...section(`${code(fip.address)} ${attachedTo(fip)}\n${details}`, rowBlockId(fip.id)), accessory: rowMenu(fip, list) }];
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Header, counts, the rows of one page and the paging buttons. */
export function listBlocks(
  list: FloatingIpList,
  page: number,
  projectName: string | undefined,
  { now, surface = 'message' }: { now: Date; surface?: ListSurface },
): unknown[] {
  const total = list.floatingIps.length;
  const pages = pageCount(total);
  const current = Math.min(Math.max(1, page), pages);
  const rows = inListOrder(list.floatingIps).slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const attached = list.floatingIps.filter((fip) => fip.attachment).length;
  const blocks: unknown[] = [
    header(`Floating IPs${projectName ? ` of ${projectName}` : ''}`),
    context(
      list.filter === 'all'
        ? `${total} in all · ${attached} attached · ${total - attached} free`
        : plural(total, FILTER_WORDS[list.filter]),
      list.namesUnavailable ? ':warning: Nova did not answer: instances are shown by id.' : '',
    ),
  ];
  if (total === 0) {
    blocks.push(section(list.filter === 'attached' ? 'No floating IP is attached to anything.' : 'No floating IPs here yet.'));
    // Home has Allocate above the list: a second one would be a second primary button.
    if (surface === 'message')
      blocks.push({ type: 'actions', elements: [button('Allocate one', `${ACTIONS.openForm}:create`, 'create', { style: 'primary' })] });
    return blocks;
  }
  for (const fip of rows) blocks.push(...rowBlocks(fip, { filter: list.filter, page: current }, now));
  if (pages > 1) {
    const nav: unknown[] = [];
    // Two buttons in one block need two action_ids (Slack refuses duplicates): the listener matches the prefix.
    if (current > 1)
      nav.push(
        button('◀ Previous', `${ACTIONS.listPage}:previous`, JSON.stringify({ filter: list.filter, page: current - 1 } satisfies ListPage)),
      );
    if (current < pages)
      nav.push(button('Next ▶', `${ACTIONS.listPage}:next`, JSON.stringify({ filter: list.filter, page: current + 1 } satisfies ListPage)));
    blocks.push({ type: 'actions', elements: nav }, context(`Page ${current} of ${pages}`));
  }
  return blocks;
}

export function listMessage(
  list: FloatingIpList,
  page: number,
  projectName: string | undefined,
  now: Date,
): { text: string; blocks: unknown[] } {
  const total = list.floatingIps.length;
  const attached = list.floatingIps.filter((fip) => fip.attachment).length;
  return {
    text: `${plural(total, FILTER_WORDS[list.filter])}${list.filter === 'all' ? ` (${attached} attached)` : ''}`,
    blocks: listBlocks(list, page, projectName, { now }),
  };
}
