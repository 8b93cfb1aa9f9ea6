/**
 * The floating-IP list: one row per IP with the actions that fit it
 * (Detach and Release when attached, Attach and Release when free), one tap
 * each on a phone; destructive ones behind a confirm dialog that says what
 * will happen. Long lists page. Used by the list message and the Home tab.
 */
import type { FloatingIpList, FloatingIpView, ListFilter } from '../../floating-ips/views.js';
import { ACTIONS, type RowAction } from './ids.js';
import { bold, button, clip, code, context, escape, header, section } from './text.js';

export const PAGE_SIZE = 10;

export interface ListPage {
  filter: ListFilter;
  page: number;
}

const FILTER_WORDS: Record<ListFilter, string> = { all: 'floating IPs', free: 'free floating IPs', attached: 'attached floating IPs' };

function rowValue(fip: FloatingIpView, list: ListPage): string {
  const value: RowAction = {
    id: fip.id,
    address: fip.address,
    ...(fip.revision !== undefined ? { revision: fip.revision } : {}),
    ...(fip.attachment ? { portId: fip.attachment.portId } : {}),
    list,
  };
  return JSON.stringify(value);
}

function attachedTo(fip: FloatingIpView): string {
  const a = fip.attachment;
  if (!a) return 'free';
  const name = a.instance ? bold(a.instance.name) : escape(a.deviceOwner || `port ${a.portId}`);
  return `→ ${name}${a.fixedIp ? ` (${code(a.fixedIp)})` : ''}`;
}

/** The row's text and buttons: two blocks per IP. */
/** `list`: the page the row is on, shown again after a change made from it. */
export function rowBlocks(fip: FloatingIpView, list: ListPage = { filter: 'all', page: 1 }): unknown[] {
  const details = [`pool ${escape(fip.pool.name)}`, fip.description ? escape(clip(fip.description, 120)) : ''].filter(Boolean).join(' · ');
  const value = rowValue(fip, list);
  const instance = fip.attachment?.instance?.name ?? 'its port';
  const release = button('Release', ACTIONS.rowRelease, value, {
    style: 'danger',
    confirm: {
      title: `Release ${fip.address}?`,
      text: fip.attachment
        ? `${code(fip.address)} goes back to pool ${escape(fip.pool.name)} and is detached from ${escape(instance)}. The project may not get this address again.`
        : `${code(fip.address)} goes back to pool ${escape(fip.pool.name)}. The project may not get this address again.`,
      confirm: 'Release',
      deny: 'Keep it',
      style: 'danger',
    },
  });
  const primary = fip.attachment
    ? button('Detach', ACTIONS.rowDetach, value, {
        confirm: {
          title: `Detach ${fip.address}?`,
          text: `${escape(instance)} will no longer be reachable at ${code(fip.address)}. The IP stays allocated to the project.`,
          confirm: 'Detach',
          deny: 'Keep it',
        },
      })
    : button('Attach…', ACTIONS.rowAttach, value, { style: 'primary' });
  return [section(`${code(fip.address)} ${attachedTo(fip)}\n${details}`), { type: 'actions', elements: [primary, release] }];
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** Header, counts, the rows of one page and the paging buttons. */
export function listBlocks(list: FloatingIpList, page: number, projectName: string | undefined): unknown[] {
  const total = list.floatingIps.length;
  const pages = pageCount(total);
  const current = Math.min(Math.max(1, page), pages);
  const rows = list.floatingIps.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const attached = list.floatingIps.filter((fip) => fip.attachment).length;
  const blocks: unknown[] = [
    header(`Floating IPs${projectName ? ` of ${projectName}` : ''}`),
    context(
      list.filter === 'all' ? `${total} in all · ${attached} attached · ${total - attached} free` : `${total} ${FILTER_WORDS[list.filter]}`,
      list.namesUnavailable ? ':warning: Nova did not answer: instances are shown by id.' : '',
    ),
  ];
  if (total === 0) {
    blocks.push(section(list.filter === 'attached' ? 'No floating IP is attached to anything.' : 'No floating IPs here yet.'));
    blocks.push({ type: 'actions', elements: [button('Allocate one', `${ACTIONS.openForm}:create`, 'create', { style: 'primary' })] });
    return blocks;
  }
  for (const fip of rows) blocks.push(...rowBlocks(fip, { filter: list.filter, page: current }));
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

export function listMessage(list: FloatingIpList, page: number, projectName: string | undefined): { text: string; blocks: unknown[] } {
  const total = list.floatingIps.length;
  const attached = list.floatingIps.filter((fip) => fip.attachment).length;
  return {
    text: `${total} ${FILTER_WORDS[list.filter]}${list.filter === 'all' ? ` (${attached} attached)` : ''}`,
    blocks: listBlocks(list, page, projectName),
  };
}
