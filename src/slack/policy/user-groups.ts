/**
 * Members of Slack user groups for the policy, through the Web API
 * (usergroups.users.list, scope usergroups:read), cached briefly.
 */
import { PRODUCTION_TIMING } from '../../config/timing.js';
import type { Logger } from '../../log.js';
import { slackErrorCode } from '../deliver.js';
import type { UserGroupDirectory } from './engine.js';

export interface UserGroupsClient {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[]; error?: string }> } };
}

export class UserGroupLookupError extends Error {
  override readonly name = 'UserGroupLookupError';
  constructor(
    readonly groupId: string,
    readonly slackError: string,
  ) {
    super(`could not list the members of user group ${groupId}: ${slackError}`);
  }
}

/** What an operator should do about a Slack error, when we know. */
const LOOKUP_HINTS: Record<string, string> = {
  missing_scope: 'add the usergroups:read bot scope to the Slack app and reinstall it',
  no_such_subteam: 'the policy file names a user group that does not exist (or was deleted); fix its id',
  plan_upgrade_required: "this workspace's Slack plan has no user groups; grant to users or channels instead",
};

/**
 * Members via usergroups.users.list (scope usergroups:read), cached for
 * `ttlMs` (5 minutes) so a burst of clicks costs one call per group, and one
 * call in flight per group. Failures are logged and not cached: the next
 * request asks again.
 */
export function webApiUserGroups(
  client: UserGroupsClient,
  logger: Logger,
  options: { ttlMs?: number; now?: () => number } = {},
): UserGroupDirectory {
  const ttlMs = options.ttlMs ?? PRODUCTION_TIMING.slack.userGroupsTtlMs;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { members: ReadonlySet<string>; expiresAt: number }>();
  const inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  async function fetchMembers(groupId: string): Promise<ReadonlySet<string>> {
    let slackError: string;
    let error: unknown;
    try {
      const response = await client.usergroups.users.list({ usergroup: groupId });
      if (response.ok !== false && Array.isArray(response.users)) return new Set(response.users);
      slackError = response.error ?? 'unexpected_response';
    } catch (caught) {
      slackError = slackErrorCode(caught);
      error = caught;
    }
    const hint = LOOKUP_HINTS[slackError];
    logger.error('user group lookup failed; requests it would allow are refused', {
      usergroup: groupId,
      slackError,
      ...(hint ? { hint } : {}),
      ...(error === undefined ? {} : { error }),
    });
    throw new UserGroupLookupError(groupId, slackError);
  }

  return {
    membersOf(groupId) {
      const cached = cache.get(groupId);
      if (cached && now() < cached.expiresAt) return Promise.resolve(cached.members);
      const pending = inFlight.get(groupId);
      if (pending) return pending;
      const lookup = fetchMembers(groupId)
        .then((members) => {
          cache.set(groupId, { members, expiresAt: now() + ttlMs });
          return members;
        })
        .finally(() => inFlight.delete(groupId));
      inFlight.set(groupId, lookup);
      return lookup;
    },
  };
}
