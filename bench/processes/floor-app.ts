/**
 * The floor of the ack benchmark: a Bolt app that does nothing but
 * acknowledge /fip. Same Bolt version, same HTTPReceiver, same signing
 * verification and the same kind of process (compiled, plain node) as
 * fipbot, so the difference between the two is what fipbot does.
 *
 * Env: PORT, HOST, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  deferInitialization: true,
  logLevel: LogLevel.WARN,
  clientOptions: process.env.SLACK_API_URL ? { slackApiUrl: process.env.SLACK_API_URL } : {},
});
app.command('/fip', async ({ ack }) => {
  await ack();
});
await app.init();
const host = process.env.HOST ?? '127.0.0.1';
const server = (await app.start({ port: Number(process.env.PORT ?? 0), host })) as Server;
const port = (server.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'floor is running', url: `http://${host}:${port}/slack/events` })}\n`);

const stop = (): void => {
  void app.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
