/** Shared set-up for the doctor's tests: a demo cloud reached through OS_* variables, temp dirs, a fake Slack. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoCloud } from '../../src/demo-cloud/index.js';
import { runDoctor, type DoctorOptions } from '../../src/doctor/run.js';
import type { CheckId, CheckResult, DoctorReport } from '../../src/doctor/types.js';
import { demoOsEnv } from '../support/demo.js';

export type Env = Record<string, string | undefined>;

/** The demo cloud's bot user (demo/demo, project demo) as an openrc would set it. */
export function demoEnv(cloud: Pick<DemoCloud, 'authUrl'>, overrides: Env = {}): Env {
  return { ...demoOsEnv(cloud), ...overrides };
}

/** An empty directory, removed by the returned function: cwd and home for runs that must find no clouds.yaml. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'fipbot-doctor-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A manifest with these bot scopes. */
export function manifestWith(dir: string, scopes: string[]): string {
  return writeFile(dir, 'manifest.yml', `oauth_config:\n  scopes:\n    bot:\n${scopes.map((scope) => `      - ${scope}`).join('\n')}\n`);
}

/** Retries quickly: the tests assert outcomes, not back-off. */
export const FAST_RETRIES = { retryBaseDelayMs: 1, retryMaxDelayMs: 5 };

export function doctor(env: Env, dir: string, extra: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  return runDoctor({ env, cwd: dir, homeDir: dir, transport: FAST_RETRIES, ...extra });
}

export function check(report: DoctorReport, id: CheckId): CheckResult {
  const found = report.checks.find((result) => result.id === id);
  if (!found) throw new Error(`no ${id} check in the report: ${report.checks.map((result) => result.id).join(', ')}`);
  return found;
}

/** Every piece of text a check carries. */
export function textOf(result: CheckResult): string {
  return [result.detail, ...(result.items ?? []), result.next ?? ''].join('\n');
}

/** A port on 127.0.0.1 where nothing listens. */
export { freePort as closedPort } from '../support/ports.js';
