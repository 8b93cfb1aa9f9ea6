/**
 * `npm start`: fipbot in this process. Everything it does is in run.ts; here
 * only what belongs to the process itself: its environment and streams, the
 * signals that stop it, and the exit code.
 */
import { homedir, userInfo } from 'node:os';
import { run } from './run.js';

const stopRequested = new Promise<number>((resolve) => {
  process.once('SIGINT', () => resolve(0));
  process.once('SIGTERM', () => resolve(0));
});

process.exitCode = await run({
  env: process.env,
  cwd: process.cwd(),
  homeDir: homedir(),
  userName: userInfo().username || 'you',
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stopRequested,
  onUnhandledRejection: (handler) => process.on('unhandledRejection', handler),
});
