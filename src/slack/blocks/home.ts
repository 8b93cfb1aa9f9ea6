/** The App Home tab: the project's floating IPs as rows with actions, and buttons to start a change. */
import type { FloatingIpList, ListFilter, Room } from '../../floating-ips/views.js';
import { roomNote } from './headroom.js';
import type { OperationWords } from '../../floating-ips/explain.js';
import type { Failure } from '../../floating-ips/failures.js';
import { ACTIONS } from './ids.js';
import { listBlocks } from './list.js';
import { notAllowedMessage, refusalMessage } from './messages.js';
import { button, context } from './text.js';

/** The buttons above everything: start a change (the form checks the policy), or refresh. */
function homeActions(filter: ListFilter, page: number) {
  return {
    type: 'actions',
    elements: [
      button('Allocate', `${ACTIONS.openForm}:create`, 'create', { style: 'primary' }),
      button('Attach…', `${ACTIONS.openForm}:attach`, 'attach'),
      button('Explain an instance', `${ACTIONS.openForm}:explain`, 'explain'),
      button('Refresh', ACTIONS.homeRefresh, JSON.stringify({ filter, page })),
    ],
  };
}

/** `room`: the quota and the pools' free addresses, one line under the buttons (left out when unreadable). */
export function homeView(list: FloatingIpList, page: number, projectName: string | undefined, now: Date, room?: Room) {
  const roomLine = room ? roomNote(room) : '';
  return {
    type: 'home' as const,
    // The page, so paging and refreshes re-render the same one.
    private_metadata: JSON.stringify({ filter: list.filter, page }),
    blocks: [
      homeActions(list.filter, page),
      ...(roomLine ? [context(roomLine)] : []),
      ...listBlocks(list, page, projectName, { now, surface: 'home' }),
      context('Results of changes made here are sent to you as a direct message.'),
    ],
  };
}

/** When the policy does not let this person list floating IPs: say so, in place of the list. */
export function homeNotAllowedView(reason: string) {
  return { type: 'home' as const, blocks: [homeActions('all', 1), ...notAllowedMessage(reason).blocks] };
}

/** When the list itself cannot be read: say why, and offer a refresh. */
export function homeErrorView(failure: Failure, operation: OperationWords) {
  return {
    type: 'home' as const,
    blocks: [
      ...refusalMessage(failure, operation, { steps: false }).blocks,
      { type: 'actions', elements: [button('Refresh', ACTIONS.homeRefresh, JSON.stringify({ filter: 'all', page: 1 }))] },
    ],
  };
}
