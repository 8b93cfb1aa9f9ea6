/** How the report reads as text: a mark per check, the items and the next step under a problem, one summary line. */
import { describe, expect, it } from 'vitest';
import { formatJson, formatText } from '../../src/doctor/format.js';
import type { CheckResult, DoctorReport } from '../../src/doctor/types.js';

function reportOf(checks: CheckResult[]): DoctorReport {
  const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status]++;
  return { ok: counts.fail === 0, exitCode: counts.fail === 0 ? 0 : 1, counts, checks };
}

describe('the text report', () => {
  it('marks each check, lists items and the next step under problems only, and ends with the verdict', () => {
    const text = formatText(
      reportOf([
        { id: 'settings', name: 'fipbot settings', status: 'ok', detail: 'fine', next: 'never shown for ok' },
        {
          id: 'keystone',
          name: 'Keystone authentication',
          status: 'fail',
          detail: 'refused',
          items: ['first', 'second'],
          next: 'check OS_PASSWORD',
        },
        { id: 'catalog', name: 'service catalog', status: 'skip', detail: 'not checked: Keystone authentication failed' },
        { id: 'neutron', name: 'Neutron API', status: 'skip', detail: 'not checked: Keystone authentication failed' },
        { id: 'quota', name: 'floating-IP quota', status: 'warn', detail: 'used up', next: 'release some' },
      ]),
    );

    expect(text.split('\n')).toEqual([
      'fipbot doctor',
      '',
      '✓ fipbot settings: fine',
      '✗ Keystone authentication: refused',
      '    - first',
      '    - second',
      '    → check OS_PASSWORD',
      '- service catalog, Neutron API: not checked: Keystone authentication failed',
      '! floating-IP quota: used up',
      '    → release some',
      '',
      'fipbot cannot work: 1 blocking problem (✗), 1 warning (!). Fix the ✗ items, then run npm run doctor again.',
      '',
    ]);
  });

  it('says fipbot can work when only warnings remain', () => {
    const text = formatText(reportOf([{ id: 'quota', name: 'floating-IP quota', status: 'warn', detail: 'used up' }]));

    expect(text).toContain('fipbot can work: nothing blocks it, 1 warning (!).');
  });
});

describe('the JSON report', () => {
  it('is the report itself, as one object', () => {
    const report = reportOf([{ id: 'settings', name: 'fipbot settings', status: 'ok', detail: 'fine' }]);

    expect(JSON.parse(formatJson(report))).toEqual(report);
  });
});
