/** The report as an operator reads it (text), or as one JSON object for scripts (--json). */
import type { CheckResult, CheckStatus, DoctorReport } from './types.js';

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatText(report: DoctorReport): string {
  const lines = ['fipbot doctor', ''];
  const checks = report.checks;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i]!;
    if (check.status === 'skip') {
      // Checks skipped for the same reason share one line: "- Neutron API, Nova API: not checked: ...".
      const names = [check.name];
      while (checks[i + 1]?.status === 'skip' && checks[i + 1]?.detail === check.detail) names.push(checks[++i]!.name);
      lines.push(`${MARKS.skip} ${names.join(', ')}: ${check.detail}`);
      continue;
    }
    lines.push(`${MARKS[check.status]} ${check.name}: ${check.detail}`);
    for (const item of check.items ?? []) lines.push(`    - ${item}`);
    if (check.next && (check.status === 'fail' || check.status === 'warn')) lines.push(`    → ${check.next}`);
  }
  lines.push('', summary(report), '');
  return lines.join('\n');
}

/** One check as one log line: what was found, then the next step (the doctor's own words). */
export function checkLine(check: CheckResult): string {
  return `${check.name}: ${check.detail}${check.next ? `. Next: ${check.next.replace(/\.$/, '')}, then npm run doctor to check again.` : ''}`;
}

export function summary(report: DoctorReport): string {
  const { fail, warn } = report.counts;
  const warnings = warn > 0 ? `${plural(warn, 'warning')} (!)` : 'no warnings';
  if (fail > 0)
    return `fipbot cannot work: ${plural(fail, 'blocking problem')} (✗), ${warnings}. Fix the ✗ items, then run npm run doctor again.`;
  return `fipbot can work: nothing blocks it, ${warnings}.`;
}

export function formatJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
