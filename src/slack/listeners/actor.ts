/** Who is acting, and where, read from the payload Slack signed. */
import type { Actor } from '../pending.js';

interface PayloadLike {
  user?: { id: string; username?: string; name?: string; team_id?: string };
  user_id?: string;
  user_name?: string;
  team?: { id: string } | null;
  team_id?: string;
  channel?: { id: string; name?: string } | null;
  channel_id?: string;
  channel_name?: string;
}

export function actorOf(payload: PayloadLike): Actor {
  const userId = payload.user?.id ?? payload.user_id ?? '';
  const userName = payload.user?.username ?? payload.user?.name ?? payload.user_name;
  const teamId = payload.team?.id ?? payload.team_id ?? payload.user?.team_id ?? '';
  const channelId = payload.channel?.id ?? payload.channel_id;
  const channelName = payload.channel?.name ?? payload.channel_name;
  return {
    userId,
    teamId,
    ...(userName ? { userName } : {}),
    ...(channelId ? { channelId } : {}),
    ...(channelName ? { channelName } : {}),
  };
}
