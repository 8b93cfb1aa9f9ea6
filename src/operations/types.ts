/**
 * What an operation is: one entry of the registry (registry.ts), defined in
 * its own folder. The entry carries everything every surface needs: its
 * name, the words people type for it, usage and help, the policy action it
 * is checked against, how to read its arguments (command text and form),
 * what it does (a read, or a change planned, confirmed and executed), and
 * how its results and confirmations are worded.
 */
import type { Outcome } from '../floating-ips/failures.js';
import type { OperationWords } from '../floating-ips/explain.js';
import type { NextStep } from '../floating-ips/next-steps.js';
import type { FloatingIpIdentity } from '../floating-ips/context.js';
import type { Message } from '../slack/blocks/messages.js';
import type { RowAction } from '../slack/blocks/ids.js';
import type { OperationName } from './registry.js';
import type { FloatingIpService } from './service.js';

/** A command's arguments read, or what is wrong with them (one sentence, shown with the usage). */
export type Parsed<R> = { ok: true; request: R } | { ok: false; problem: string };

/** The fields the /fip form can show; each operation lists the ones it asks for. */
export type FormField = 'ip' | 'instance' | 'fixedIp' | 'pool';

/** The values the form's fields hold (trimmed; absent when empty). */
export type FormValues = Partial<Record<FormField, string>>;

export interface FormSpec<R> {
  /** The choice in the form's "What do you want to do?" select. */
  label: string;
  /** The form's submit button. */
  submit: string;
  /** The fields shown, in order, with their label and placeholder; `required` ones are checked before `read`. */
  fields: ReadonlyArray<{ field: FormField; label: string; placeholder: string; required: boolean; hint?: string }>;
  /** The form's small print; a change's form says by default that nothing changes before the confirmation. */
  note?: string;
  /** The floating IPs the IP picker suggests; `offersNew`: it also offers "New floating IP". */
  ipPicker?: { filter: 'all' | 'free' | 'attached'; offersNew: boolean };
  /** The values as a request, or the fields that are wrong (field -> message). */
  read(values: FormValues): { request: R } | { errors: Partial<Record<FormField, string>> };
}

interface OperationBase<N extends string, R> {
  name: N;
  /** Other words for it, in commands and in the policy file ("associate", "add"...). */
  aliases: readonly string[];
  /** `/fip attach IP|new INSTANCE ...` */
  usage: string;
  /** One line for /fip help. */
  help: string;
  /** The policy's refusal starts with it: "Attaching floating IPs is limited to...". */
  activity: string;
  /** How its failures say what it could not do and what did not change. */
  words: OperationWords;
  parse(args: readonly string[]): Parsed<R>;
  form?: FormSpec<R>;
}

/** Shows something (a list, a diagnosis); changes nothing, needs no confirmation. */
export interface ReadOperation<N extends string = string, R = unknown, V = unknown> extends OperationBase<N, R> {
  kind: 'read';
  /** Policy actions it needs besides its own: a report of floating IPs needs list too. */
  alsoNeeds?(subject: { request?: R }): readonly OperationName[];
  /** The modal's title when the form shows the answer. */
  answerTitle: string;
  run(service: FloatingIpService, request: R): Promise<Outcome<V>>;
  /** `now`: the bot's clock, for dates shown relative to today ("3 Dec", a year only when not this one). */
  render(value: V, now: Date): Message;
}

/** What a plan needs from the conversation: the description a new floating IP gets (who asked, where). */
export interface PlanContext {
  service: FloatingIpService;
  description: () => string;
  /** The Slack user asking: a lease (`--for`) reminds and tells them. */
  owner: string;
}

/** The fields every audit line names, from the plan (and, for a new IP, the result). */
export interface AuditSubject {
  ip?: string;
  instance?: string;
  fixedIp?: string;
  pool?: string;
}

/** What every change reports besides its own result. */
export interface ChangeDone {
  /** X-Openstack-Request-Id of the change, for operators. */
  requestId: string | undefined;
  /** The answer was lost, and fipbot checked that the change was made. */
  recovered: boolean;
}

/** Changes something: planned (nothing changes), shown, confirmed, executed exactly as planned. */
export interface ChangeOperation<
  N extends string = string,
  R = unknown,
  P = unknown,
  D extends ChangeDone = ChangeDone,
> extends OperationBase<N, R> {
  kind: 'change';
  plan(context: PlanContext, request: R): Promise<Outcome<P>>;
  /** The confirmation was the consent: execute exactly the plan shown. */
  execute(service: FloatingIpService, plan: P): Promise<Outcome<D>>;
  /** Policy actions it needs besides its own, for this request or plan: an attach that allocates also needs create. */
  alsoNeeds?(subject: { request?: R; plan?: P }): readonly OperationName[];
  /** When there is nothing to do (already so), the answer instead of a confirmation. */
  alreadyDone?(plan: P): Message | undefined;
  /** "Attach 192.168.100.12 to web-1": titles, notifications, "Working…" (plain text). */
  summary(plan: P): string;
  /** Exactly what will change, side effects included (mrkdwn lines). */
  changes(plan: P): string[];
  /** The Confirm button's verb. */
  confirmLabel(plan: P): string;
  /** Small print under the confirmation: the room left (quota, the pool's free addresses). */
  notes?(plan: P): string[];
  /** Other ways to the same end, as buttons beside Confirm: "Use 192.168.100.201 (unattached for 12 days)". */
  alternatives?(plan: P): NextStep[];
  /** Loses something (an address, an attachment): the button is red and asks again where a click alone would do. */
  destructive(plan: P): boolean;
  /** The result, for everyone in the channel. */
  result(done: D, userId: string): Message;
  audit(plan: P, done?: D): AuditSubject;
  /** The audit channel's line: "alice attached <what>" (`past`), "alice tried to attach <what>: refused". */
  past: string;
  /** The subject in words; its values are escaped already. */
  auditWhat(subject: AuditSubject): string;
  /** List rows offer it: the request for the row's IP, and the IP the plan guards (revision checked against the row). */
  row?: { request(row: RowAction): R; floatingIp(plan: P): FloatingIpIdentity };
}

export type AnyOperation = ReadOperation | ChangeOperation;
