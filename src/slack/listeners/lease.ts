/**
 * A lease reminder's Extend: the owner (only) moves the end an hour later,
 * if the lease is still the one the reminder showed; the policy is asked as
 * for an allocation, since keeping an IP longer is holding one. Release now
 * is a next-step button: the normal release, confirmation and policy included.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LEASE_LIMITS } from '../../floating-ips/lease.js';
import { extendLease } from '../../floating-ips/lease-write.js';
import { ACTIONS } from '../blocks/ids.js';
import { leaseExtendedMessage, leaseNotExtendedMessage } from '../blocks/lease.js';
import { internalErrorMessage, notAllowedMessage, staleButtonMessage } from '../blocks/messages.js';
import { cloudOfValue, inCloud, namedForCloud } from '../clouds.js';
import type { SlackDeps } from '../deps.js';
import { authorize } from '../flows/changes.js';
import { actorOf } from './actor.js';
import { parseJson, type Reply, replyTo } from './reply.js';

const extendSchema = z.object({ id: z.string().min(1).max(64), tag: z.string().min(1).max(255) });

export function registerLeaseActions(app: App, root: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTIONS.leaseExtend, async ({ ack, body, action, respond, client }) => {
    await ack();
    const actor = actorOf(body);
    // The reminder's cloud (its button carries it).
    const named = cloudOfValue(action.value);
    const deps = inCloud(root, named && root.clouds?.names.includes(named) ? named : root.clouds?.bound(body.channel?.id));
    const reply: Reply = (message, options) => replyTo(deps, body, respond, client)(namedForCloud(deps, message), options);
    try {
      const value = extendSchema.safeParse(parseJson(action.value));
      if (!value.success) return void (await reply(staleButtonMessage()));
      const decision = await authorize(deps, actor, 'create');
      if (!decision.allowed) return void (await reply(notAllowedMessage(decision.reason)));
      const extended = await extendLease(deps.service.context, {
        floatingIpId: value.data.id,
        shownTag: value.data.tag,
        userId: actor.userId,
        byMs: LEASE_LIMITS.extendByMs,
      });
      if (!extended.ok) {
        const owner = extended.why === 'not_owner' ? extended.owner : undefined;
        return void (await reply(leaseNotExtendedMessage(extended.address, extended.why, owner)));
      }
      deps.logger.info('lease extended', {
        ip: extended.address,
        user: actor.userId,
        expiresAt: new Date(extended.lease.expiresAt).toISOString(),
      });
      await reply(leaseExtendedMessage(extended.address, extended.lease, deps.now().getTime()), { replace: true });
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      deps.logger.error('lease extend failed', { reference, error });
      await reply(internalErrorMessage(reference)).catch(() => undefined);
    }
  });
}
