/**
 * Finds and validates the cloud the bot talks to, from the configuration an
 * OpenStack user already has: clouds.yaml (+ secure.yaml) or OS_* variables,
 * read the way python-openstackclient (OSC) and openstacksdk read them.
 *
 * Where the OpenStack tools disagree, we follow the one an operator is most
 * likely to have tested with (`openstack token issue`, i.e. OSC); each such
 * choice is noted where it is made. Everything that is wrong is reported at
 * once, each problem naming the file and key path or the variable, and no
 * message ever contains a password or application-credential secret.
 */

import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument, type ScalarTag } from 'yaml';
import { z } from 'zod';
import type { ApplicationCredentialAuth, CloudAuth, CloudConfig, DomainRef, EndpointInterface, PasswordAuth } from './cloud-config.js';
import type { Problem } from '../config/problem.js';

export interface LoadCloudOptions {
  env: Record<string, string | undefined>; // usually process.env
  cwd: string;
  homeDir: string;
  /** defaults to node:fs readFileSync/existsSync; injectable for tests */
  readFile?: (path: string) => string | undefined; // undefined = not found
}

export type LoadCloudResult =
  | { ok: true; cloud: CloudConfig | null } // null = nothing configured at all (the app then uses its embedded demo cloud)
  | { ok: false; problems: Problem[] };

const ENV_CLOUD_NAME = 'envvars';
const ENV_SOURCE = 'environment (OS_*)';
/** OSC's --os-default-domain falls back to this domain id. */
const IMPLIED_DEFAULT_DOMAIN_ID = 'default';

// ---------------------------------------------------------------------------
// Entry point

export function loadCloudConfig(options: LoadCloudOptions): LoadCloudResult {
  const ctx = makeContext(options);
  const problems: Problem[] = [];
  const cloudsFile = findConfigFile(ctx, 'clouds', 'OS_CLIENT_CONFIG_FILE', problems);
  if (problems.length > 0) return { ok: false, problems };

  const wanted = envValue(ctx.env, 'OS_CLOUD');
  if (wanted !== undefined) {
    if (!cloudsFile) {
      const searched = searchPaths(ctx, 'clouds').join(', ');
      return fail('OS_CLOUD', `OS_CLOUD is "${wanted}" but no clouds.yaml was found (looked for ${searched})`);
    }
    return fromCloudsFile(ctx, cloudsFile, wanted);
  }
  // openstacksdk builds an "envvars" cloud from OS_* variables and makes it the
  // default whenever OS_CLOUD is unset, even if clouds.yaml has a single cloud:
  // someone who sourced an openrc expects that openrc to be used.
  if (envValue(ctx.env, 'OS_AUTH_URL') !== undefined) return fromEnvironment(ctx);
  if (cloudsFile) return fromCloudsFile(ctx, cloudsFile, undefined);

  // openstacksdk would also form an env cloud here and then fail for lack of an
  // auth URL; falling back to the demo cloud instead would hide the mistake.
  const stray = CREDENTIAL_VARS.filter((name) => envValue(ctx.env, name) !== undefined);
  if (stray.length > 0) {
    return fail(
      'OS_AUTH_URL',
      `missing: ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but OS_AUTH_URL is not, and no clouds.yaml was found`,
    );
  }
  return { ok: true, cloud: null };
}

/** The cloud's clouds.yaml name (OS_CLOUD's entry); undefined for OS_* variables or no configured cloud (the demo cloud). */
export function namedCloud(cloud: CloudConfig | undefined): string | undefined {
  return cloud && cloud.name !== ENV_CLOUD_NAME && cloud.source !== ENV_SOURCE ? cloud.name : undefined;
}

/** One line for start-up logs. Names, ids and places only: never a secret. */
export function describeCloud(cloud: CloudConfig): string {
  const parts = [describeAuth(cloud.auth)];
  parts.push(cloud.regionName ? `region ${cloud.regionName}` : 'no region set');
  parts.push(`${cloud.interface} endpoints`);
  if (cloud.caFile) parts.push(`CA bundle ${cloud.caFile}`);
  if (cloud.insecure) parts.push('TLS verification OFF');
  return `cloud "${cloud.name}" from ${cloud.source}: ${parts.join(', ')}`;
}

function describeAuth(auth: CloudAuth): string {
  const user = auth.username ?? auth.userId;
  if (auth.type === 'password') {
    return `password auth as ${user ?? '?'}, project ${auth.projectName ?? auth.projectId ?? '?'}`;
  }
  if (auth.applicationCredentialId) return `application credential ${auth.applicationCredentialId}`;
  return `application credential "${auth.applicationCredentialName ?? '?'}" of user ${user ?? '?'}`;
}

// ---------------------------------------------------------------------------
// Context and small helpers

interface Context {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  readFile: (path: string) => string | undefined;
}

function makeContext(options: LoadCloudOptions): Context {
  return { env: options.env, cwd: options.cwd, homeDir: options.homeDir, readFile: options.readFile ?? readFileIfPresent };
}

/** Missing files are "not found"; anything else (EACCES, EISDIR) is thrown and reported by `tryRead`. */
function readFileIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function tryRead(ctx: Context, path: string, problems: Problem[]): string | undefined {
  try {
    return ctx.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'unknown error');
    problems.push({ where: path, message: `cannot read this file (${code})` });
    return undefined;
  }
}

/** Shells leave empty variables behind (`export OS_CACERT=`): empty means unset, as in openstacksdk. */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function expandPath(ctx: Context, path: string): string {
  if (path === '~') return ctx.homeDir;
  if (path.startsWith('~/')) return join(ctx.homeDir, path.slice(2));
  return isAbsolute(path) ? path : resolve(ctx.cwd, path);
}

function fail(where: string, message: string): LoadCloudResult {
  return { ok: false, problems: [{ where, message }] };
}

function done(cloud: CloudConfig | undefined, problems: Problem[]): LoadCloudResult {
  if (problems.length > 0 || !cloud) return { ok: false, problems };
  return { ok: true, cloud };
}

// ---------------------------------------------------------------------------
// Finding and parsing files

interface ConfigFile {
  path: string;
  text: string;
}

/**
 * openstacksdk's search order, first found wins: the override variable, then
 * the current directory, the XDG config dir, ~/.config/openstack and
 * /etc/openstack, each as .yaml, .yml, then .json.
 */
function searchPaths(ctx: Context, base: 'clouds' | 'secure'): string[] {
  const dirs = [ctx.cwd];
  const xdg = envValue(ctx.env, 'XDG_CONFIG_HOME');
  if (xdg !== undefined) dirs.push(join(xdg, 'openstack'));
  dirs.push(join(ctx.homeDir, '.config', 'openstack'), '/etc/openstack');
  const paths = dirs.flatMap((dir) => ['.yaml', '.yml', '.json'].map((ext) => join(dir, base + ext)));
  return [...new Set(paths)];
}

/**
 * openstacksdk silently skips a missing override file; we report it, since the
 * operator named that file on purpose and would otherwise get another cloud.
 */
function findConfigFile(ctx: Context, base: 'clouds' | 'secure', overrideVar: string, problems: Problem[]): ConfigFile | undefined {
  const override = envValue(ctx.env, overrideVar);
  if (override !== undefined) {
    const path = expandPath(ctx, override);
    const before = problems.length;
    const text = tryRead(ctx, path, problems);
    if (text === undefined) {
      if (problems.length === before) problems.push({ where: overrideVar, message: `file not found: ${path}` });
      return undefined;
    }
    return { path, text };
  }
  for (const path of searchPaths(ctx, base)) {
    const before = problems.length;
    const text = tryRead(ctx, path, problems);
    if (text !== undefined) return { path, text };
    if (problems.length > before) return undefined;
  }
  return undefined;
}

/**
 * PyYAML reads unquoted `0123` as 83 and `yes` as true, and JS YAML parsers
 * turn `123e4567` into a float; any of these would corrupt an unquoted id
 * (Horizon writes `project_id:` unquoted). So every scalar stays the text it
 * was written as, except plain null forms, which mean "not set".
 */
const nullTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:null',
  default: true,
  test: /^(?:~|[Nn]ull|NULL)?$/,
  resolve: () => null,
  identify: (value) => value === null || value === undefined,
};

/** Parses YAML (or JSON, a subset) into plain data; errors become problems with a position. */
function parseConfigText(file: ConfigFile, problems: Problem[]): unknown {
  const doc = parseDocument(file.text, { schema: 'failsafe', customTags: [nullTag], merge: true, prettyErrors: true });
  if (doc.errors.length === 0) return doc.toJS() as unknown;
  for (const error of doc.errors) {
    // The yaml package appends the offending source line to its message; that
    // line may hold a password, so keep only the first sentence.
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
    const pos = error.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    problems.push({ where: file.path, message: `invalid YAML${at}: ${reason}` });
  }
  return undefined;
}

const FileSchema = z.looseObject(
  { clouds: z.record(z.string(), z.unknown(), { error: 'must be a mapping of cloud names to their settings' }).nullish() },
  { error: 'must be a mapping with a top-level "clouds:" key' },
);

/** The `clouds:` mapping of a clouds.yaml or secure.yaml, or undefined after reporting why not. */
function readCloudsMapping(file: ConfigFile, problems: Problem[]): Record<string, unknown> | undefined {
  const before = problems.length;
  const data = parseConfigText(file, problems);
  if (problems.length > before) return undefined;
  if (data === null || data === undefined) return {}; // an empty file defines no clouds
  const parsed = FileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ where: issue.path.length > 0 ? `${file.path}: ${issue.path.join('.')}` : file.path, message: issue.message });
    }
    return undefined;
  }
  return parsed.data.clouds ?? {};
}

// ---------------------------------------------------------------------------
// Settings: one shape for both sources, so the rules are written once

/** Keys that live under `auth:` in clouds.yaml. */
const AUTH_KEYS = [
  'auth_url',
  'username',
  'user_id',
  'password',
  'user_domain_name',
  'user_domain_id',
  'project_name',
  'project_id',
  'project_domain_name',
  'project_domain_id',
  'domain_name',
  'domain_id',
  'default_domain',
  'default_domain_id',
  'default_domain_name',
  'application_credential_id',
  'application_credential_name',
  'application_credential_secret',
] as const;
/** Keys at the cloud's top level. */
const CLOUD_KEYS = ['auth_type', 'region_name', 'interface', 'cacert', 'insecure', 'identity_api_version', 'profile'] as const;
const KEYS = [...AUTH_KEYS, ...CLOUD_KEYS];
type Key = (typeof KEYS)[number];
const AUTH_KEY_SET: ReadonlySet<Key> = new Set(AUTH_KEYS);
const APP_CRED_KEYS: readonly Key[] = ['application_credential_id', 'application_credential_name', 'application_credential_secret'];

/** Variables that show someone meant to configure credentials through the environment. */
const CREDENTIAL_VARS = [
  'OS_USERNAME',
  'OS_USER_ID',
  'OS_PASSWORD',
  'OS_APPLICATION_CREDENTIAL_ID',
  'OS_APPLICATION_CREDENTIAL_NAME',
  'OS_APPLICATION_CREDENTIAL_SECRET',
];

/** One configured value and where it was written, so problems can point at it. */
interface Setting {
  value: string;
  where: string;
}

interface Settings {
  values: Partial<Record<Key, Setting>>;
  /** How the user writes the key in this source: "auth.project_name" or "OS_PROJECT_NAME". */
  label(key: Key): string;
  /** Where a problem about the key is reported, also when the key is absent. */
  locate(key: Key): string;
  /** Messages say "remove" a key from a file but "unset" a variable. */
  kind: 'file' | 'env';
}

// --- from OS_* variables

/** Aliases, after the canonical name: openstacksdk lets project_* win over tenant_*. */
const ENV_ALIASES: Partial<Record<Key, string[]>> = {
  project_name: ['OS_TENANT_NAME'],
  project_id: ['OS_TENANT_ID'],
  interface: ['OS_ENDPOINT_TYPE'],
};

function envVarName(key: Key): string {
  return `OS_${key.toUpperCase()}`;
}

function envSettings(env: Record<string, string | undefined>): Settings {
  const values: Partial<Record<Key, Setting>> = {};
  for (const key of KEYS) {
    if (key === 'profile') continue; // vendor profiles are a clouds.yaml feature here
    for (const name of [envVarName(key), ...(ENV_ALIASES[key] ?? [])]) {
      const value = envValue(env, name);
      if (value !== undefined) {
        values[key] = { value, where: name };
        break;
      }
    }
  }
  return { values, label: envVarName, locate: envVarName, kind: 'env' };
}

function fromEnvironment(ctx: Context): LoadCloudResult {
  const problems: Problem[] = [];
  const cloud = buildCloud(ENV_CLOUD_NAME, ENV_SOURCE, envSettings(ctx.env), ctx, problems);
  return done(cloud, problems);
}

// --- from clouds.yaml (+ secure.yaml)

/** Aliases after the canonical key; the canonical one wins when both are set. */
const FILE_ALIASES: Partial<Record<Key, string[][]>> = {
  project_name: [['auth', 'tenant_name']],
  project_id: [['auth', 'tenant_id']],
  interface: [['endpoint_type']],
};

const scalar = z.string({ error: 'must be a single value, not a list or mapping' }).nullish();

const AuthSchema = z.looseObject(Object.fromEntries([...AUTH_KEYS, 'tenant_name', 'tenant_id'].map((key) => [key, scalar])), {
  error: 'must be a mapping',
});

const RegionSchema = z.union([z.string(), z.looseObject({ name: z.string() })], {
  error: 'each region must be a name, or a mapping with a "name:"',
});

const CloudSchema = z.looseObject(
  {
    auth: AuthSchema.nullish(),
    auth_type: scalar,
    region_name: scalar,
    regions: z.array(RegionSchema, { error: 'must be a list of region names' }).nullish(),
    interface: scalar,
    endpoint_type: scalar,
    cacert: scalar,
    verify: scalar,
    insecure: scalar,
    identity_api_version: scalar,
    profile: scalar,
  },
  { error: 'must be a mapping of settings' },
);
type RawCloud = z.infer<typeof CloudSchema>;

function fromCloudsFile(ctx: Context, file: ConfigFile, wanted: string | undefined): LoadCloudResult {
  const problems: Problem[] = [];
  const clouds = readCloudsMapping(file, problems);
  if (!clouds) return { ok: false, problems };
  const name = pickCloudName(file.path, Object.keys(clouds), wanted, problems);
  if (name === undefined) return { ok: false, problems };

  const secure = loadSecureEntry(ctx, name, problems);
  if (problems.length > 0) return { ok: false, problems };
  // Deep merge, secure.yaml winning, as openstacksdk's merge_clouds does.
  const raw = secure ? deepMerge(clouds[name], secure.entry) : clouds[name];
  const where = (path: readonly (string | number | symbol)[]): string => {
    const inSecure = secure !== undefined && hasPath(secure.entry, path);
    return [`${inSecure ? secure.path : file.path}: clouds.${name}`, ...path.map(String)].join('.');
  };

  const parsed = CloudSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ where: where(issue.path), message: issue.message });
    return { ok: false, problems };
  }
  const settings = fileSettings(parsed.data, where);
  fillPasswordFromEnv(settings, ctx.env);
  selectRegion(settings, parsed.data, name, ctx.env, problems);
  return done(buildCloud(name, file.path, settings, ctx, problems), problems);
}

function pickCloudName(path: string, names: string[], wanted: string | undefined, problems: Problem[]): string | undefined {
  const available = names.length > 0 ? names.join(', ') : 'none';
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted;
    problems.push({ where: 'OS_CLOUD', message: `no cloud named "${wanted}" in ${path} (available: ${available})` });
    return undefined;
  }
  if (names.length === 1) return names[0];
  const message =
    names.length === 0 ? 'defines no clouds under "clouds:"' : `defines several clouds (${available}); set OS_CLOUD to pick one`;
  problems.push({ where: path, message });
  return undefined;
}

/** The chosen cloud's entry in secure.yaml, if there is one. */
function loadSecureEntry(ctx: Context, name: string, problems: Problem[]): { path: string; entry: Record<string, unknown> } | undefined {
  const file = findConfigFile(ctx, 'secure', 'OS_CLIENT_SECURE_FILE', problems);
  if (!file) return undefined;
  const clouds = readCloudsMapping(file, problems);
  const entry = clouds?.[name];
  if (entry === undefined || entry === null) return undefined;
  if (!isPlainObject(entry)) {
    problems.push({ where: `${file.path}: clouds.${name}`, message: 'must be a mapping of settings' });
    return undefined;
  }
  return { path: file.path, entry };
}

function fileSettings(cloud: RawCloud, where: (path: readonly string[]) => string): Settings {
  const canonicalPath = (key: Key): string[] => (AUTH_KEY_SET.has(key) ? ['auth', key] : [key]);
  const values: Partial<Record<Key, Setting>> = {};
  for (const key of KEYS) {
    for (const path of [canonicalPath(key), ...(FILE_ALIASES[key] ?? [])]) {
      const value = stringAt(cloud, path);
      if (value !== undefined) {
        values[key] = { value, where: where(path) };
        break;
      }
    }
  }
  applyVerify(values, cloud, where);
  return {
    values,
    label: (key) => canonicalPath(key).join('.'),
    locate: (key) => values[key]?.where ?? where(canonicalPath(key)),
    kind: 'file',
  };
}

/**
 * `verify: false` disables TLS checks and `verify: /path` names a CA bundle
 * (that is how requests reads it). As in openstacksdk, `insecure` and
 * `cacert` win when also given.
 */
function applyVerify(values: Partial<Record<Key, Setting>>, cloud: RawCloud, where: (path: readonly string[]) => string): void {
  const verify = stringAt(cloud, ['verify']);
  if (verify === undefined) return;
  const setting = { where: where(['verify']) };
  const flag = parseBoolean(verify);
  if (flag === false) values.insecure ??= { ...setting, value: 'true' };
  else if (flag === undefined) values.cacert ??= { ...setting, value: verify };
}

/**
 * Horizon's clouds.yaml leaves the password out. OSC reads OS_PASSWORD as the
 * default of --os-password and lets it fill (even override) clouds.yaml;
 * openstacksdk alone ignores it for a named cloud. We let it fill a missing
 * password only: a value written in the files stays authoritative.
 */
function fillPasswordFromEnv(settings: Settings, env: Record<string, string | undefined>): void {
  const password = envValue(env, 'OS_PASSWORD');
  if (settings.values.password === undefined && password !== undefined) {
    settings.values.password = { value: password, where: 'OS_PASSWORD' };
  }
}

/**
 * The file's `region_name` or `regions` list are the cloud's known regions;
 * OS_REGION_NAME picks one of them (OSC passes it as --os-region-name and
 * openstacksdk rejects a region the cloud does not list), else the first wins.
 * Per-region `values:` overrides are not applied: nobody has needed them yet.
 */
function selectRegion(
  settings: Settings,
  cloud: RawCloud,
  name: string,
  env: Record<string, string | undefined>,
  problems: Problem[],
): void {
  const known = (cloud.regions ?? []).map((region) => (typeof region === 'string' ? region : region.name));
  const fileRegion = settings.values.region_name;
  if (known.length === 0 && fileRegion) known.push(fileRegion.value);
  const wanted = envValue(env, 'OS_REGION_NAME');
  if (wanted === undefined) {
    if (known[0] !== undefined && !fileRegion) settings.values.region_name = { value: known[0], where: settings.locate('region_name') };
    return;
  }
  if (known.length > 0 && !known.includes(wanted)) {
    problems.push({ where: 'OS_REGION_NAME', message: `"${wanted}" is not a region of cloud "${name}" (regions: ${known.join(', ')})` });
    return;
  }
  settings.values.region_name = { value: wanted, where: 'OS_REGION_NAME' };
}

// ---------------------------------------------------------------------------
// The rules, shared by both sources

type AuthKind = CloudAuth['type'];

function buildCloud(name: string, source: string, s: Settings, ctx: Context, problems: Problem[]): CloudConfig | undefined {
  const before = problems.length;
  checkIdentityVersion(s, problems);
  const kind = resolveAuthKind(s, problems);
  const authUrl = resolveAuthUrl(s, problems);
  const auth =
    kind === 'password'
      ? passwordAuth(s, authUrl ?? '', problems)
      : kind === 'applicationCredential'
        ? appCredAuth(s, authUrl ?? '', problems)
        : undefined;
  const endpointInterface = resolveInterface(s, problems);
  const tls = resolveTls(s, ctx, problems);
  if (problems.length > before || !auth) return undefined;
  return { name, source, auth, regionName: s.values.region_name?.value, interface: endpointInterface, ...tls };
}

function checkIdentityVersion(s: Settings, problems: Problem[]): void {
  const version = s.values.identity_api_version;
  if (!version || /^v?3(\.\d+)?$/.test(version.value)) return; // "3" is accepted and changes nothing
  const message = /^v?2(\.\d+)?$/.test(version.value)
    ? 'Keystone v2 has been removed from OpenStack; fipbot speaks Identity v3 only (use 3)'
    : `unsupported identity API version "${version.value}"; use 3`;
  problems.push({ where: version.where, message });
}

function resolveAuthKind(s: Settings, problems: Problem[]): AuthKind | undefined {
  const type = s.values.auth_type;
  // keystoneauth would default to "password"; inferring from the fields present
  // spares app-credential users from spelling out auth_type.
  if (!type) return APP_CRED_KEYS.some((key) => s.values[key]) ? 'applicationCredential' : 'password';
  switch (type.value) {
    case 'password':
    case 'v3password':
      return 'password';
    case 'v3applicationcredential':
      return 'applicationCredential';
    case 'v2password':
    case 'v2token':
      problems.push({
        where: type.where,
        message: `"${type.value}" needs Keystone v2, which OpenStack has removed; use password or v3applicationcredential`,
      });
      return undefined;
    default:
      problems.push({
        where: type.where,
        message: `auth type "${type.value}" is not supported; use password, v3password or v3applicationcredential`,
      });
      return undefined;
  }
}

/** Kept as given (the identity module appends /v3 when needed), minus trailing slashes. */
function resolveAuthUrl(s: Settings, problems: Problem[]): string | undefined {
  const url = s.values.auth_url;
  if (!url) {
    const profile = s.values.profile;
    const message = profile
      ? `missing: vendor profiles ("profile: ${profile.value}") are not supported, write the Keystone URL here`
      : 'missing: the Keystone URL, e.g. https://keystone.example.com:5000/v3';
    problems.push({ where: s.locate('auth_url'), message });
    return undefined;
  }
  // The value is not echoed: a URL can carry user:password@.
  let protocol: string;
  try {
    protocol = new URL(url.value).protocol;
  } catch {
    problems.push({ where: url.where, message: 'is not a URL; expected e.g. https://keystone.example.com:5000/v3' });
    return undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    problems.push({ where: url.where, message: 'must be an http:// or https:// URL' });
    return undefined;
  }
  return url.value.replace(/\/+$/, '');
}

function domainRef(id: Setting | undefined, name: Setting | undefined): DomainRef | undefined {
  if (id) return { id: id.value };
  if (name) return { name: name.value };
  return undefined;
}

/** The scope keys that, when set, would make Keystone scope the token. */
function scopeSettings(s: Settings): Setting[] {
  const keys: Key[] = ['project_id', 'project_name', 'domain_id', 'domain_name'];
  return keys.flatMap((key) => s.values[key] ?? []);
}

function passwordAuth(s: Settings, authUrl: string, problems: Problem[]): PasswordAuth | undefined {
  const v = s.values;
  const before = problems.length;
  if (!v.username && !v.user_id) {
    problems.push({ where: s.locate('username'), message: `missing: set ${s.label('username')} or ${s.label('user_id')}` });
  }
  if (!v.password) {
    const how = s.kind === 'file' ? 'add it here, put it in secure.yaml, or set OS_PASSWORD' : 'set it';
    problems.push({ where: s.locate('password'), message: `missing: the password for password auth; ${how}` });
  }
  const projectScoped = Boolean(v.project_id ?? v.project_name);
  const domainScope = v.domain_id ?? v.domain_name;
  if (!projectScoped) {
    // OSC turns domain_* without a project into a domain-scoped token, which
    // cannot manage floating IPs.
    const ask = `fipbot needs a project scope; set ${s.label('project_name')} or ${s.label('project_id')}`;
    problems.push(
      domainScope
        ? { where: domainScope.where, message: `domain-scoped tokens are not supported: ${ask}` }
        : { where: s.locate('project_name'), message: `missing: ${ask}` },
    );
  }
  if (problems.length > before) return undefined;

  // openstacksdk: with a project, domain_id/domain_name stand in for both the
  // user's and the project's domain when those are not given.
  const shared = domainRef(v.domain_id, v.domain_name);
  // keystoneauth's v3 loader refuses a user name without a domain; OSC fills
  // the missing user and project domains with OS_DEFAULT_DOMAIN, which itself
  // defaults to the "default" domain. Configurations made for OSC must work
  // here, so we do the same.
  const fallback = domainRef(v.default_domain_id ?? v.default_domain, v.default_domain_name) ?? { id: IMPLIED_DEFAULT_DOMAIN_ID };
  const auth: PasswordAuth = { type: 'password', authUrl, password: v.password?.value ?? '' };
  if (v.user_id) auth.userId = v.user_id.value;
  if (v.username) {
    auth.username = v.username.value;
    auth.userDomain = domainRef(v.user_domain_id, v.user_domain_name) ?? shared ?? fallback;
  }
  if (v.project_id) auth.projectId = v.project_id.value;
  if (v.project_name) {
    auth.projectName = v.project_name.value;
    auth.projectDomain = domainRef(v.project_domain_id, v.project_domain_name) ?? shared ?? fallback;
  }
  return auth;
}

function appCredAuth(s: Settings, authUrl: string, problems: Problem[]): ApplicationCredentialAuth | undefined {
  const v = s.values;
  const before = problems.length;
  if (!v.application_credential_secret) {
    problems.push({ where: s.locate('application_credential_secret'), message: 'missing: the application credential secret' });
  }
  if (!v.application_credential_id && !v.application_credential_name) {
    problems.push({
      where: s.locate('application_credential_id'),
      message: `missing: set ${s.label('application_credential_id')} (or ${s.label('application_credential_name')} with the owning user)`,
    });
  }
  const userDomain = domainRef(v.user_domain_id, v.user_domain_name);
  if (!v.application_credential_id && v.application_credential_name && !v.user_id) {
    // Looking a credential up by name needs its owner. OSC applies
    // OS_DEFAULT_DOMAIN to password auth only, so no domain is assumed here.
    if (!v.username) {
      problems.push({
        where: s.locate('user_id'),
        message: `missing: an application credential given by name needs its owner; set ${s.label('user_id')}, or ${s.label('username')} with ${s.label('user_domain_name')}`,
      });
    } else if (!userDomain) {
      problems.push({
        where: v.username.where,
        message: `user name without a domain: set ${s.label('user_domain_name')} or ${s.label('user_domain_id')} (user names are unique only within a domain)`,
      });
    }
  }
  // keystoneauth (and so OSC) sends any project or domain along and Keystone
  // answers 401 "Application credentials cannot request a scope"; we say so now.
  for (const scope of scopeSettings(s)) {
    problems.push({
      where: scope.where,
      message: `application credentials carry their own project and Keystone refuses a token request that names a scope; ${s.kind === 'env' ? 'unset' : 'remove'} this`,
    });
  }
  if (problems.length > before) return undefined;

  const auth: ApplicationCredentialAuth = { type: 'applicationCredential', authUrl, secret: v.application_credential_secret?.value ?? '' };
  if (v.application_credential_id) auth.applicationCredentialId = v.application_credential_id.value;
  if (v.application_credential_name) auth.applicationCredentialName = v.application_credential_name.value;
  if (v.user_id) auth.userId = v.user_id.value;
  if (v.username) auth.username = v.username.value;
  if (userDomain) auth.userDomain = userDomain;
  return auth;
}

/** keystoneauth also understands the old catalog names (publicURL, ...). */
const INTERFACES: Record<string, EndpointInterface> = {
  public: 'public',
  internal: 'internal',
  admin: 'admin',
  publicURL: 'public',
  internalURL: 'internal',
  adminURL: 'admin',
};

function resolveInterface(s: Settings, problems: Problem[]): EndpointInterface {
  const setting = s.values.interface;
  if (!setting) return 'public';
  const value = Object.hasOwn(INTERFACES, setting.value) ? INTERFACES[setting.value] : undefined;
  if (value) return value;
  problems.push({ where: setting.where, message: `"${setting.value}" is not an endpoint interface; use public, internal or admin` });
  return 'public';
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** The boolean spellings of YAML 1.1 (what PyYAML reads) and of shell variables. */
function parseBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  return undefined;
}

function resolveTls(s: Settings, ctx: Context, problems: Problem[]): { insecure: boolean; caFile?: string } {
  let insecure = false;
  const flag = s.values.insecure;
  if (flag) {
    const parsed = parseBoolean(flag.value);
    if (parsed === undefined) problems.push({ where: flag.where, message: `"${flag.value}" is not a boolean; use true or false` });
    insecure = parsed ?? false;
  }
  const cacert = s.values.cacert;
  // As in openstacksdk, turning verification off wins over a CA bundle.
  if (!cacert || insecure) return { insecure };
  const caFile = expandPath(ctx, cacert.value);
  const before = problems.length;
  if (tryRead(ctx, caFile, problems) === undefined && problems.length === before) {
    problems.push({ where: cacert.where, message: `CA bundle not found: ${caFile}` });
  }
  return { insecure, caFile };
}

// ---------------------------------------------------------------------------
// Plain-data utilities

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = Object.hasOwn(merged, key) ? deepMerge(merged[key], value) : value;
  return merged;
}

function hasPath(data: unknown, path: readonly PropertyKey[]): boolean {
  let node = data;
  for (const step of path) {
    if (!isPlainObject(node) || typeof step !== 'string' || !Object.hasOwn(node, step)) return false;
    node = node[step];
  }
  return true;
}

function stringAt(data: unknown, path: readonly string[]): string | undefined {
  let node = data;
  for (const step of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[step];
  }
  return typeof node === 'string' && node !== '' ? node : undefined;
}
