// Before npm start / doctor / demo-cloud: compile only when a source is newer than the last build,
// so a warm checkout reaches the prompt without paying for tsc (about 6 s here).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.built');

function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

const sources = Math.max(...['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((path) => newest(join(root, path))));
const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (built > sources) process.exit(0);

const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
