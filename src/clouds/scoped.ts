/**
 * One cloud's view of what the clouds share (several clouds): the interaction store with the cloud in
 * every claim key (two clouds' digests in one channel, or two IPs with one address, never take each
 * other's claims), and a Slack client whose posts name the cloud.
 */
import type { WebClient } from '@slack/web-api';
import type { Audit } from '../slack/audit.js';
import { nameCloud } from '../slack/clouds.js';
import type { InteractionStore } from '../slack/state/interaction-store.js';

export function storeForCloud(store: InteractionStore, cloud: string): InteractionStore {
  const key = (name: string) => `cloud:${cloud}:${name}`;
  return {
    put: (value, ttlMs) => store.put(value, ttlMs),
    peek: (token) => store.peek(token),
    take: (token) => store.take(token),
    update: (token, value) => store.update(token, value),
    claim: (name, ttlMs) => store.claim(key(name), ttlMs),
    release: (name) => store.release(key(name)),
    isClaimed: (name) => store.isClaimed(key(name)),
    // The store is the bot's: closed once, by it.
    close: () => Promise.resolve(),
  };
}

export function chatForCloud(client: Pick<WebClient, 'chat'>, cloud: string): Pick<WebClient, 'chat'> {
  const chat = new Proxy(client.chat, {
    get(target, property, receiver) {
      if (property !== 'postMessage') return Reflect.get(target, property, receiver) as unknown;
      return (args: Parameters<WebClient['chat']['postMessage']>[0]) => target.postMessage(nameCloud(cloud, args));
    },
  });
  return { chat };
}

export function auditForCloud(audit: Audit, cloud: string): Audit {
  return { record: (event) => audit.record({ ...event, cloud }) };
}
