/** Loopback ports for servers the tests start (and for ones they must find closed). */
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 nobody listens on right now: bind port 0, read it,
 * let it go. For servers that cannot take port 0 themselves (redis-server,
 * a bot process told its PORT), and as a closed port that refuses connections.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
