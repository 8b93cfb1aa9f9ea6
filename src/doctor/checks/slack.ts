/**
 * Check 7: Slack, when SLACK_BOT_TOKEN is set.
 *  - auth.test accepts the bot token (team, bot user);
 *  - the scopes Slack granted (the x-oauth-scopes header of that same call,
 *    which @slack/web-api 8 exposes as response_metadata.scopes) against the
 *    manifest's bot scopes: missing ones block, extra ones are a warning;
 *  - with SLACK_APP_TOKEN (Socket Mode), apps.connections.open succeeds.
 *    The WebSocket URL it returns is never opened.
 */
import type { webApi } from '@slack/bolt';
import type { SlackSettings } from '../../config/settings.js';
import { type ManifestScopes, scopeReason, USER_GROUPS_SCOPE } from '../manifest.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';
import { elapsedSince } from './timing.js';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export interface SlackCheckOptions {
  settings: SlackSettings;
  /** The policy names user groups: usergroups:read is needed. */
  usesUserGroups: boolean;
  manifest: ManifestScopes;
  /** Replaces fetch for the Web API (tests). */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type WebApi = typeof webApi;

/** Loaded on first use: Bolt takes a second to import, and a doctor run without Slack needs none of it. */
let loaded: Promise<WebApi> | undefined;
function loadWebApi(): Promise<WebApi> {
  loaded ??= import('@slack/bolt').then((bolt) => bolt.webApi);
  return loaded;
}

/** The Web API client logs retries and warnings on its own: the doctor reports instead. */
function silentLogger(api: WebApi): webApi.Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: () => undefined,
    getLevel: () => api.LogLevel.ERROR,
    setName: () => undefined,
  };
}

async function client(token: string, options: SlackCheckOptions): Promise<{ api: WebApi; web: webApi.WebClient }> {
  const api = await loadWebApi();
  const web = new api.WebClient(token, {
    ...(options.settings.apiUrl ? { slackApiUrl: options.settings.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger: silentLogger(api),
    // One retry for a network hiccup; a 429 is reported, not waited out.
    retryConfig: { retries: 1, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
  });
  return { api, web };
}

interface SlackFailure {
  /** Slack's error code (invalid_auth), or the transport's. */
  code: string;
  /** True when Slack answered (with ok: false); false when it could not be reached or answered HTTP errors. */
  answered: boolean;
  text: string;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    current = current.cause;
  }
  return undefined;
}

function slackFailure(api: WebApi, error: unknown): SlackFailure {
  if (error instanceof api.WebAPIPlatformError)
    return { code: error.data.error, answered: true, text: `Slack answered ${error.data.error}` };
  if (error instanceof api.WebAPIHTTPError)
    return { code: `http_${error.statusCode}`, answered: false, text: `Slack answered HTTP ${error.statusCode}` };
  if (error instanceof api.WebAPIRateLimitedError) {
    return { code: 'ratelimited', answered: true, text: `Slack is rate-limiting this app (retry after ${error.retryAfter} s)` };
  }
  if (error instanceof api.WebAPIRequestError) {
    const code = causeCode(error.original);
    return {
      code: code ?? 'request_error',
      answered: false,
      text: `could not reach Slack (${code ? `${code}: ` : ''}${error.original.message})`,
    };
  }
  return { code: 'unknown_error', answered: false, text: error instanceof Error ? error.message : String(error) };
}

/** Slack errors that mean "this token is not accepted". */
const TOKEN_REFUSALS: Record<string, string> = {
  invalid_auth: 'Slack does not know this token',
  not_authed: 'no token reached Slack',
  token_revoked: 'the token was revoked (the app was uninstalled, or the token regenerated)',
  token_expired: 'the token expired (token rotation is on)',
  account_inactive: 'the bot user or its workspace is deactivated',
  not_allowed_token_type: 'this is not the right kind of token',
  team_access_not_granted: 'the token has no access to this workspace',
  missing_scope: 'the token lacks a scope this call needs',
};

function unreachableNext(options: SlackCheckOptions): string {
  return options.settings.apiUrl
    ? `Check SLACK_API_URL (${options.settings.apiUrl}) and that this machine can reach it (proxy, firewall).`
    : 'Check that this machine can reach https://slack.com (proxy, firewall, DNS).';
}

export interface SlackAuthOutcome {
  result: CheckResult;
  /** The scopes Slack says the bot token has; undefined when it did not say (or refused the token). */
  scopes: string[] | undefined;
  accepted: boolean;
}

export async function checkSlackAuth(options: SlackCheckOptions): Promise<SlackAuthOutcome> {
  const name = CHECK_NAMES['slack-auth'];
  const { api, web } = await client(options.settings.botToken, options);
  const started = performance.now();
  try {
    const answer = await web.auth.test();
    const durationMs = elapsedSince(started);
    const team = answer.team ? `${answer.team}${answer.team_id ? ` (${answer.team_id})` : ''}` : (answer.team_id ?? '?');
    const bot = answer.user ? `@${answer.user}${answer.user_id ? ` (${answer.user_id})` : ''}` : (answer.user_id ?? '?');
    return {
      accepted: true,
      scopes: answer.response_metadata?.scopes?.filter(Boolean),
      result: { id: 'slack-auth', name, status: 'ok', detail: `auth.test: workspace ${team}, bot user ${bot}`, durationMs },
    };
  } catch (error) {
    const durationMs = elapsedSince(started);
    const failure = slackFailure(api, error);
    const refusal = TOKEN_REFUSALS[failure.code];
    const result: CheckResult = refusal
      ? {
          id: 'slack-auth',
          name,
          status: 'fail',
          detail: `Slack refused SLACK_BOT_TOKEN (auth.test: ${failure.code}): ${refusal}`,
          next:
            "Copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN; " +
            'if the app was uninstalled or the token revoked, reinstall the app to the workspace first.',
          durationMs,
        }
      : {
          id: 'slack-auth',
          name,
          status: 'fail',
          detail: `auth.test failed: ${failure.text}`,
          next: failure.answered
            ? "Slack refused for a reason fipbot does not know: see the error code above in Slack's auth.test reference."
            : unreachableNext(options),
          durationMs,
        };
    return { accepted: false, scopes: undefined, result };
  }
}

export function checkSlackScopes(
  granted: string[] | undefined,
  options: Pick<SlackCheckOptions, 'usesUserGroups' | 'manifest'>,
): CheckResult {
  const name = CHECK_NAMES['slack-scopes'];
  if (!options.manifest.ok) {
    return {
      id: 'slack-scopes',
      name,
      status: 'warn',
      detail: `cannot tell which scopes fipbot needs: ${options.manifest.problem}`,
      next: 'Restore manifest.yml from the fipbot repository.',
    };
  }
  const required = options.manifest.scopes.filter((scope) => scope !== USER_GROUPS_SCOPE || options.usesUserGroups);
  if (options.usesUserGroups && !required.includes(USER_GROUPS_SCOPE)) required.push(USER_GROUPS_SCOPE);
  if (granted === undefined) {
    return {
      id: 'slack-scopes',
      name,
      status: 'warn',
      detail: 'Slack did not say which scopes the bot token has (no x-oauth-scopes header on auth.test)',
      next: `Compare the app's OAuth & Permissions page with what fipbot needs: ${required.join(', ')}.`,
    };
  }
  const missing = required.filter((scope) => !granted.includes(scope));
  const extra = granted.filter((scope) => !required.includes(scope));
  const missingItems = missing.map((scope) => `missing ${scope}: ${scopeReason(scope)}`);
  const extraItems = extra.map(
    (scope) =>
      `not needed ${scope}: ${scope === USER_GROUPS_SCOPE ? 'the policy file names no user group' : 'manifest.yml does not ask for it'}`,
  );
  const reinstall = "then reinstall the app to the workspace (Slack changes a bot token's scopes only on reinstall)";
  if (missing.length > 0) {
    return {
      id: 'slack-scopes',
      name,
      status: 'fail',
      detail: `the bot token lacks ${missing.length === 1 ? 'a scope' : `${missing.length} scopes`} fipbot needs: ${missing.join(', ')}`,
      items: [...missingItems, ...extraItems],
      next: `Add ${missing.join(', ')} to the app's Bot Token Scopes (OAuth & Permissions, or update the app from manifest.yml)${extra.length > 0 ? `, remove ${extra.join(', ')}` : ''}, ${reinstall}.`,
    };
  }
  if (extra.length > 0) {
    return {
      id: 'slack-scopes',
      name,
      status: 'warn',
      detail: `the bot token has ${extra.length === 1 ? 'a scope' : `${extra.length} scopes`} fipbot does not need: ${extra.join(', ')}`,
      items: extraItems,
      next: `Least privilege: remove ${extra.join(', ')} from the app's Bot Token Scopes, ${reinstall}.`,
    };
  }
  return { id: 'slack-scopes', name, status: 'ok', detail: `granted exactly what fipbot needs: ${required.join(', ')}` };
}

export async function checkSocketMode(options: SlackCheckOptions): Promise<CheckResult> {
  const name = CHECK_NAMES['slack-socket-mode'];
  const appToken = options.settings.appToken;
  if (!appToken) {
    return {
      id: 'slack-socket-mode',
      name,
      status: 'skip',
      detail:
        'HTTP mode (no SLACK_APP_TOKEN): Slack must reach the request URLs in manifest.yml; the signing secret is checked on its first request',
    };
  }
  const { api, web } = await client(appToken, options);
  const started = performance.now();
  try {
    await web.apps.connections.open();
    return {
      id: 'slack-socket-mode',
      name,
      status: 'ok',
      detail: 'apps.connections.open accepted SLACK_APP_TOKEN (the WebSocket was not opened)',
      durationMs: elapsedSince(started),
    };
  } catch (error) {
    const durationMs = elapsedSince(started);
    const failure = slackFailure(api, error);
    const createToken =
      "Create an app-level token with the connections:write scope (the app's Basic Information page, App-Level Tokens), put it in SLACK_APP_TOKEN, and turn Socket Mode on for the app.";
    if (failure.code === 'missing_scope') {
      return {
        id: 'slack-socket-mode',
        name,
        status: 'fail',
        detail: 'SLACK_APP_TOKEN lacks the connections:write scope (apps.connections.open: missing_scope)',
        next: createToken,
        durationMs,
      };
    }
    const refusal = TOKEN_REFUSALS[failure.code];
    if (refusal) {
      return {
        id: 'slack-socket-mode',
        name,
        status: 'fail',
        detail: `Slack refused SLACK_APP_TOKEN (apps.connections.open: ${failure.code}): ${refusal}`,
        next: createToken,
        durationMs,
      };
    }
    return {
      id: 'slack-socket-mode',
      name,
      status: 'fail',
      detail: `apps.connections.open failed: ${failure.text}`,
      next: failure.answered ? createToken : unreachableNext(options),
      durationMs,
    };
  }
}
