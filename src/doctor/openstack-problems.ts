/**
 * The adapter's typed errors -> what the operator reads: what happened, and
 * what to do next. Messages come from the adapter already redacted; URLs are
 * printed without any user:password@ part.
 */
import type { CloudConfig } from '../openstack/cloud-config.js';
import {
  OpenStackApiError,
  OpenStackAuthError,
  OpenStackTimeoutError,
  OpenStackUnexpectedResponseError,
  OpenStackUnreachableError,
  SERVICE_NAMES,
  type ServiceType,
} from '../openstack/errors.js';
import type { FailureCause } from './types.js';

/** What a doctor check says about an OpenStack failure: what happened, the next step, and why. */
export interface FailureAdvice {
  detail: string;
  next: string;
  cause: FailureCause;
}

/** The one place that tells a refusal from an outage (see FailureCause); the start-up check acts on it. */
export function failureCause(error: unknown): FailureCause {
  if (error instanceof OpenStackApiError || error instanceof OpenStackUnexpectedResponseError)
    return error.status >= 500 || error.status === 429 || error.status === 408 ? 'outage' : 'configuration';
  return 'outage';
}

/** A URL fit to print: no user:password@, no query string (it may carry a signature or a token). */
export function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/** How the operator writes a cloud setting where this cloud came from: OS_PASSWORD, or the key in clouds.yaml. */
export function settingName(cloud: CloudConfig, key: string, inAuth = true): string {
  if (cloud.source.startsWith('environment')) return `OS_${key.toUpperCase()}`;
  if (cloud.source === 'the embedded demo cloud') return key;
  return `${inAuth ? 'auth.' : ''}${key} of cloud "${cloud.name}" in ${cloud.source}`;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO/i;

function unreachableAdvice(code: string | undefined, urlSetting: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `The host name does not resolve from this machine: check ${urlSetting} and this machine's DNS.`;
  if (code === 'ECONNREFUSED')
    return `Nothing accepts connections at that address and port: check ${urlSetting}, and that the service is running.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `There is no route to that host from here: check the network, VPN or firewall, and ${urlSetting}.`;
  if (code !== undefined && TLS_CODE.test(code)) {
    return 'The TLS connection failed: if the cloud uses a private CA, set OS_CACERT (cacert in clouds.yaml) to its CA bundle; an https:// URL on a plain-http port fails this way too.';
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return `The connection was cut before an answer: a proxy or firewall may be in the way, or the port speaks another protocol (http vs https). Check ${urlSetting}.`;
  }
  return `Check ${urlSetting}, and that this machine can reach it (firewall, proxy, VPN).`;
}

function attempts(n: number): string {
  return n > 1 ? ` after ${n} attempts` : '';
}

function requestRef(error: { requestId: string | undefined }): string {
  return error.requestId ? ` (request ${error.requestId})` : '';
}

/**
 * A failed request to `service` at `url`. `urlSetting` says where the URL
 * came from, for the advice ("OS_AUTH_URL", "the catalog's public endpoint").
 */
export function describeOpenStackFailure(error: unknown, service: ServiceType, url: string, urlSetting: string): FailureAdvice {
  const name = SERVICE_NAMES[service];
  const at = printableUrl(url);
  const cause = failureCause(error);
  if (error instanceof OpenStackUnreachableError) {
    // The adapter's message holds the low-level reason, already redacted: "(ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:5000)".
    const reason = /could not be reached \((.*)\) for /s.exec(error.message)?.[1] ?? error.causeCode ?? 'connection error';
    return {
      detail: `could not reach ${name} at ${at} (${reason})${attempts(error.attempts)}`,
      next: unreachableAdvice(error.causeCode, urlSetting),
      cause,
    };
  }
  if (error instanceof OpenStackTimeoutError) {
    const what = error.phase === 'connect' ? 'accept a connection' : error.phase === 'headers' ? 'answer' : 'finish its answer';
    const next =
      error.phase === 'connect'
        ? unreachableAdvice(undefined, urlSetting)
        : `${name} is overloaded or stuck: look at the service on the cloud side. FIPBOT_OPENSTACK_TIMEOUT_MS raises fipbot's limit if it is merely slow.`;
    return { detail: `${name} at ${at} did not ${what} within ${error.timeoutMs} ms${attempts(error.attempts)}`, next, cause };
  }
  if (error instanceof OpenStackAuthError && service !== 'identity') {
    return {
      detail: `${name} refused the token Keystone issued, even after re-authenticating (401) for ${error.method} ${error.path}${requestRef(error)}`,
      next: `Keystone and ${name} disagree about tokens: the cloud's operator should check ${name}'s [keystone_authtoken] settings and that the cloud's clocks agree.`,
      cause,
    };
  }
  if (error instanceof OpenStackApiError) {
    const answered = `${name} answered ${error.status}${error.type ? ` ${error.type}` : ''} to ${error.method} ${error.path}${attempts(error.attempts)}: ${error.apiMessage}${requestRef(error)}`;
    if (error.status === 403) {
      return {
        detail: answered,
        next: `The user lacks a role fipbot needs in this project: give it the member role (openstack role add --user USER --project PROJECT member).`,
        cause,
      };
    }
    if (error.status === 404) {
      return { detail: answered, next: `${at} does not serve the ${name} API: the URL (${urlSetting}) is probably wrong.`, cause };
    }
    if (error.status >= 500) {
      return {
        detail: answered,
        next: `${name} is failing or overloaded: check the ${name} API service and any load balancer in front of it${error.requestId ? `; its logs know request ${error.requestId}` : ''}.`,
        cause,
      };
    }
    return { detail: answered, next: `Unexpected refusal from ${name}: its message above says why.`, cause };
  }
  if (error instanceof OpenStackUnexpectedResponseError) {
    return {
      detail: `${name} at ${at} answered something that is not the ${name} API (HTTP ${error.status}): ${error.issues.join('; ')}`,
      next: `Check that ${urlSetting} points at ${name} itself, not at a proxy or a login page.`,
      cause,
    };
  }
  return {
    detail: `unexpected error talking to ${name} at ${at}: ${error instanceof Error ? error.message : String(error)}`,
    next: 'This is a fipbot bug or an unusual failure: run again with the --json output and report it.',
    cause,
  };
}
