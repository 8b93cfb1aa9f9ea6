/**
 * One line per event, with a level and a message: a JSON object (for log
 * collectors), or on a terminal a line to read ("12:00:00.000 WARN  message
 * key=value"). Every line passes through a Redactor first: tokens, passwords
 * and secrets never reach a log, even when an OpenStack error message echoes them.
 */
import type { Redactor } from './openstack/redact.js';
import { shapeRedactor } from './openstack/redact.js';
import { printable } from './terminal-text.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** json: one object per line; pretty: for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export interface LoggerOptions {
  level?: Level;
  format?: LogFormat;
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
      const json = redactor.redact(JSON.stringify(record, errorReplacer));
      write(options.format === 'pretty' ? redactor.redact(prettyLine(json)) : json);
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

/**
 * The redacted JSON line, read back and laid out for a person: the time of day (UTC, as in the JSON), the
 * level, the message, then key=value. Built from the redacted JSON, so it hides what the JSON hides.
 * Control characters are dropped (a server's name must not recolour the terminal); one event, one line.
 */
function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, msg, ...fields } = record;
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${prettyValue(value)}`);
  const head = [String(time).slice(11, 23), String(level).toUpperCase().padEnd(5), String(msg).replace(/\n/g, ' ')];
  return printable([...head, ...pairs].join(' '));
}

/** A bare word when it reads as one; anything with spaces, quotes or structure as JSON (escaping line breaks). */
function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** LOG_FORMAT when set, else readable lines on a terminal and JSON anywhere else (a file, a pipe, a collector). */
export function chooseLogFormat(setting: string | undefined, stream: NodeJS.WritableStream): LogFormat {
  const wanted = setting?.trim().toLowerCase();
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return (stream as { isTTY?: boolean }).isTTY === true ? 'pretty' : 'json';
}

export function parseLevel(text: string | undefined): Level {
  return text === 'debug' || text === 'warn' || text === 'error' ? text : 'info';
}
