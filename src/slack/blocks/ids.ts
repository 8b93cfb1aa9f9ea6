/**
 * Every action_id, block_id and callback_id fipbot uses, in one place: the
 * listeners register on these and the builders emit them, so a rename
 * cannot leave a button without a handler.
 */
export const ACTIONS = {
  /** Confirmation message: value = interaction-store token. */
  confirm: 'fip_confirm',
  cancel: 'fip_cancel',
  /** An approval request in the channel (value = JSON ApprovalValue): a second person approves or denies. */
  approve: 'fip_approve',
  deny: 'fip_deny',
  /** The requester's "Waiting for approval" line: withdraw the request (value = JSON ApprovalValue). */
  cancelApproval: 'fip_cancel_approval',
  /** List rows: one overflow menu, each option's value a `rowMenuValue` (the operation and the RowAction). */
  rowMenu: 'fip_row_menu',
  /** The row buttons of lists posted before the menu (value = JSON RowAction): still answered. */
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
  /** A lease reminder's Extend (value = JSON ExtendValue: the IP and the lease tag shown). */
  leaseExtend: 'fip_lease_extend',
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

/** A list row's block: one per IP, so a row can be told apart from the others. */
export function rowBlockId(floatingIpId: string): string {
  return `fip_row:${floatingIpId}`;
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

/** What a list row's menu offers: Attach… (opens the form) and the changes rows offer. */
export const ROW_OPERATIONS = ['attach', 'detach', 'release'] as const;
export type RowOperation = (typeof ROW_OPERATIONS)[number];

/** An overflow option's value holds 150 characters (LIMITS.optionValue): a JSON array, not the object a button carried. */
const OPTION_VALUE_MAX = 150;

/**
 * `[operation, id, address, revision, portId, filter, page]`. The port only guards the claim of an IP listed
 * without a revision; the address only fills in the form: either is left out ("") if the value would not fit.
 */
export function rowMenuValue(operation: RowOperation, row: RowAction): string {
  const encode = (address: string, portId: string) =>
    JSON.stringify([operation, row.id, address, row.revision ?? null, portId, row.list?.filter ?? 'all', row.list?.page ?? 1]);
  const full = encode(row.address, row.revision === undefined ? (row.portId ?? '') : '');
  if (full.length <= OPTION_VALUE_MAX) return full;
  const withoutPort = encode(row.address, '');
  return withoutPort.length <= OPTION_VALUE_MAX ? withoutPort : encode('', '');
}

/** The operation and the row an option's value names, unchecked (the listener checks the row as it checks a button's). */
export function readRowMenuValue(value: string | undefined): { operation: string; row: Record<string, unknown> } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  // An eighth element names the cloud (slack/clouds.ts), read by the listener.
  if (!Array.isArray(parsed) || (parsed.length !== 7 && parsed.length !== 8) || typeof parsed[0] !== 'string') return undefined;
  const [operation, id, address, revision, portId, filter, page] = parsed as unknown[];
  return {
    operation: operation as string,
    row: {
      id,
      address,
      ...(revision !== null ? { revision } : {}),
      ...(portId !== '' ? { portId } : {}),
      list: { filter, page },
    },
  };
}
