/** A logger whose lines the test can read. */
import { createLogger, type Logger } from '../../src/log.js';

export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}
