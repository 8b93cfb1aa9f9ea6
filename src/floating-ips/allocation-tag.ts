/**
 * The tag fipbot puts on every floating IP it allocates: who asked for it,
 * by Slack user id (`fipbot-by:U0789ALICE`). It sits beside the description
 * stamp: the leak report and the list read the tag first, since a
 * description is free text that anyone may edit in Horizon, and a tag can be
 * filtered on (`?tags=fipbot-by:U…`).
 */
const PREFIX = 'fipbot-by:';

export function allocationTag(userId: string): string {
  return `${PREFIX}${userId}`;
}

/** The Slack user fipbot allocated the IP for, from its tags; undefined without the tag. */
export function allocatedByTag(tags: readonly string[] | undefined): string | undefined {
  const tag = tags?.find((t) => t.startsWith(PREFIX));
  const userId = tag?.slice(PREFIX.length);
  return userId && /^[UW][A-Z0-9]+$/.test(userId) ? userId : undefined;
}
