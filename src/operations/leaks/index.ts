/** `/fip leaks` (idle, unused): the project's unattached floating IPs, oldest first, with buttons to reclaim them. */
import type { Outcome } from '../../floating-ips/failures.js';
import type { LeakReport } from '../../floating-ips/views.js';
import { leakReportMessage } from '../../slack/blocks/leaks.js';
import { splitOptions } from '../../slack/commands/arguments.js';
import type { FloatingIpService } from '../service.js';
import type { ReadOperation } from '../types.js';

export interface LeakView {
  report: LeakReport;
  projectName: string | undefined;
}

export const leaks: ReadOperation<'leaks', Record<string, never>, LeakView> = {
  kind: 'read',
  answerTitle: 'Unattached floating IPs',
  name: 'leaks',
  aliases: ['idle', 'unused', 'leaked'],
  usage: '/fip leaks',
  help: 'the unattached floating IPs, oldest first, with who allocated them; reclaim some or all',
  activity: 'Reporting unattached floating IPs',
  words: { verb: 'list the unattached floating IPs', nothingChanged: 'Nothing was changed.' },
  // It shows floating IPs: whoever may not list them may not see them here either.
  alsoNeeds: () => ['list'],
  parse(args) {
    const { positional, problem } = splitOptions(args, []);
    if (problem) return { ok: false, problem };
    if (positional.length > 0) return { ok: false, problem: 'leaks takes no arguments.' };
    return { ok: true, request: {} };
  },
  run: (service) => leakReport(service),
  render: (view) => leakReportMessage(view.report, view.projectName),
};

/** The report and the project's name for its title (the name is a nicety: its lookup may fail). */
export async function leakReport(service: FloatingIpService): Promise<Outcome<LeakView>> {
  const [report, scope] = await Promise.all([service.leaks(), service.inventory.scope().catch(() => undefined)]);
  return report.ok ? { ok: true, value: { report: report.value, projectName: scope?.projectName } } : report;
}
