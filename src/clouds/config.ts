/**
 * FIPBOT_CONFIG: which clouds one bot serves and which channels act on each.
 *   clouds:
 *     prod:    { channels: [C0PROD] }
 *     staging: { channels: [C0STAGE] }
 *   default: staging   # channels bound to none; omit it to ask "Which cloud?"
 * Names are clouds.yaml entries, each loaded by name with the clouds.yaml loader. Without the file,
 * OS_CLOUD / OS_* give one cloud, as always. Every problem is reported at once, with its key path.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { Problem } from '../config/problem.js';
import type { CloudConfig } from '../openstack/cloud-config.js';
import { type LoadCloudOptions, loadCloudConfig } from '../openstack/clouds.js';
import { idProblem } from '../slack/policy/file.js';

/** One configured cloud: its clouds.yaml name, how to reach it, and the channels bound to it. */
export interface ConfiguredCloud {
  name: string;
  config: CloudConfig;
  channels: readonly string[];
}

export interface ConfiguredClouds {
  clouds: readonly ConfiguredCloud[];
  /** For channels bound to none; undefined: ask which cloud. */
  default?: string;
}

export type LoadedClouds = { ok: true; clouds: ConfiguredClouds } | { ok: false; problems: Problem[] };

/** Variables that would make every cloud the same one (OS_CLOUD, an openrc's OS_AUTH_URL, OS_PASSWORD…): only the files' locations stay. */
const KEPT_OS_VARIABLES = new Set(['OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE']);

/** The file FIPBOT_CONFIG names -> the clouds, each loaded from clouds.yaml by name. */
export function loadCloudsFile(path: string, options: LoadCloudOptions): LoadedClouds {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      problems: [{ where: 'FIPBOT_CONFIG', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }],
    };
  }
  return parseCloudsFile(text, path, options);
}

export function parseCloudsFile(text: string, source: string, options: LoadCloudOptions): LoadedClouds {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      problems: doc.errors.map((error) => ({ where: source, message: `invalid YAML: ${error.message.split('\n')[0] ?? ''}` })),
    };
  const data: unknown = doc.toJS();
  const problems: Problem[] = [];
  const at = (...path: string[]) => (path.length > 0 ? `${source}: ${path.join('.')}` : source);
  if (!isMapping(data)) return { ok: false, problems: [{ where: source, message: 'must be a mapping with "clouds:" (and "default:")' }] };
  for (const key of Object.keys(data))
    if (key !== 'clouds' && key !== 'default')
      problems.push({ where: at(key), message: `unknown key "${key}": the file has "clouds:" and "default:"` });
  const entries = data.clouds;
  if (!isMapping(entries) || Object.keys(entries).length === 0) {
    problems.push({
      where: at('clouds'),
      message: 'must name at least one clouds.yaml cloud, e.g. clouds: { prod: { channels: [C0123PROD] } }',
    });
    return { ok: false, problems };
  }

  const env = Object.fromEntries(Object.entries(options.env).filter(([name]) => !name.startsWith('OS_') || KEPT_OS_VARIABLES.has(name)));
  const clouds: ConfiguredCloud[] = [];
  const boundTo = new Map<string, string>();
  for (const [name, entry] of Object.entries(entries)) {
    const channels = readChannels(entry, (message, ...path) => problems.push({ where: at('clouds', name, ...path), message }));
    for (const channel of channels) {
      const other = boundTo.get(channel);
      if (other)
        problems.push({
          where: at('clouds', name, 'channels'),
          message: `${channel} is already bound to ${other}: a channel acts on one cloud`,
        });
      else boundTo.set(channel, name);
    }
    const loaded = loadCloudConfig({ ...options, env: { ...env, OS_CLOUD: name } });
    if (!loaded.ok)
      // The clouds.yaml loader says "OS_CLOUD" where it was asked for a name: here the name is this key.
      problems.push(
        ...loaded.problems.map((problem) =>
          problem.where === 'OS_CLOUD' ? { where: at('clouds', name), message: problem.message } : problem,
        ),
      );
    else if (loaded.cloud) clouds.push({ name, config: loaded.cloud, channels });
  }
  const fallback = data.default;
  if (fallback !== undefined && fallback !== null && (typeof fallback !== 'string' || !(fallback in entries)))
    problems.push({ where: at('default'), message: `must name one of the clouds above (${Object.keys(entries).join(', ')})` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, clouds: { clouds, ...(typeof fallback === 'string' ? { default: fallback } : {}) } };
}

function readChannels(entry: unknown, problem: (message: string, ...path: string[]) => void): string[] {
  if (entry === null || entry === undefined || entry === '') return [];
  if (!isMapping(entry)) {
    problem('must be a mapping, e.g. { channels: [C0123PROD] }');
    return [];
  }
  for (const key of Object.keys(entry)) if (key !== 'channels') problem(`unknown key "${key}": a cloud lists its channels`, key);
  const raw = entry.channels;
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) {
    problem('must be a list of channel ids, e.g. [C0123PROD]', 'channels');
    return [];
  }
  const channels: string[] = [];
  list.forEach((value: unknown, index) => {
    const bad = typeof value === 'string' ? idProblem('channels', value) : 'must be a channel id';
    if (bad) problem(bad, 'channels', String(index));
    else channels.push(value as string);
  });
  return [...new Set(channels)];
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
