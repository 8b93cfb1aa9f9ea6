/**
 * Every action_id, block_id and callback_id fipbot uses, in one place: the
 * listeners register on these and the builders emit them, so a rename
 * cannot leave a button without a handler.
 */
export const ACTIONS = {
  /** Confirmation message: value = interaction-store token. */
  confirm: 'fip_confirm',
  cancel: 'fip_cancel',
  /** List rows: value = JSON RowAction. Attach… opens the form; the others are the changes rows offer. */
  rowAttach: 'fip_row_attach',
  rowDetach: rowActionId('detach'),
  rowRelease: rowActionId('release'),
  /** List paging: value = JSON {filter, page}; action_id gets `:previous` / `:next`, as both sit in one block. */
  listPage: 'fip_list_page',
  /** Buttons that open the form modal: value = the action to preselect; action_id gets `:<operation>` so that several can sit in one block. */
  openForm: 'fip_open_form',
  /** An answer's next step: value = JSON StepValue; action_id gets `:<index>` as several sit in one block. */
  step: 'fip_step',
  /** Leak report: the checkboxes (value = JSON {id, revision}); ticking one only updates Slack's state. */
  leakPick: 'fip_leak_pick',
  /** Leak report: reclaim the ticked IPs (read from the message's state), or all unattached ones. */
  reclaimPicked: 'fip_reclaim_picked',
  reclaimAll: 'fip_reclaim_all',
  /** App Home refresh. */
  homeRefresh: 'fip_home_refresh',
  /** Form modal: the operation select (dispatches so the form can reshape itself). */
  formOperation: 'fip_form_operation',
  /** External selects (typeahead) and plain inputs of the form. */
  ipSelect: 'fip_ip',
  instanceSelect: 'fip_instance',
  poolSelect: 'fip_pool',
  fixedIpInput: 'fip_fixed_ip',
} as const;

/** The list-row button of a change operation (its registry entry has `row`). */
export function rowActionId(operation: string): string {
  return `fip_row_${operation}`;
}

export const BLOCKS = {
  formOperation: 'form_operation',
  formIp: 'form_ip',
  formInstance: 'form_instance',
  formPool: 'form_pool',
  formFixedIp: 'form_fixed_ip',
  leakPick: 'leak_pick',
} as const;

export const VIEWS = {
  /** The /fip form: pick the operation and its arguments. */
  form: 'fip_form',
  /** A plan shown in the modal, Confirm submits it. */
  confirm: 'fip_form_confirm',
  /** Read-only views (loading, result, explanation). */
  info: 'fip_info',
} as const;

/** What a list-row button carries: enough to guard the change with the revision the person saw. */
export interface RowAction {
  /** Floating IP id. */
  id: string;
  address: string;
  /** Neutron revision_number when listed: a change since then is refused (If-Match). */
  revision?: number;
  /** Port it was attached to when listed (detach/release), to say what changed. */
  portId?: string;
  /** The list page the row was on, to show that page again after the change. */
  list?: { filter: 'all' | 'free' | 'attached'; page: number };
}
