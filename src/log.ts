/**
 * One JSON object per line on stdout, with a level and a message. Every line
 * passes through a Redactor first: tokens, passwords and secrets never reach
 * a log, even when an OpenStack error message echoes them.
 */
import type { Redactor } from './openstack/redact.js';
import { shapeRedactor } from './openstack/redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: Level;
  redactor?: Redactor;
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, bound: Record<string, unknown> = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const redactor = options.redactor ?? shapeRedactor;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < threshold) return;
      const record = { time: now().toISOString(), level, msg: message, ...bound, ...fields };
      write(redactor.redact(JSON.stringify(record, errorReplacer)));
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** Errors serialise through their own toJSON when they have one (OpenStack errors do), else name + message. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error && !('toJSON' in value)) return { name: value.name, message: value.message };
  return value;
}

export function parseLevel(text: string | undefined): Level {
  return text === 'debug' || text === 'warn' || text === 'error' ? text : 'info';
}
