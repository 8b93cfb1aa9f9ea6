import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { chooseLogFormat, createLogger, type LogFormat } from '../src/log.js';
import { OpenStackApiError } from '../src/openstack/errors.js';
import { Redactor } from '../src/openstack/redact.js';

function capture(level?: 'debug' | 'info', format?: LogFormat) {
  const lines: string[] = [];
  const redactor = new Redactor();
  const logger = createLogger({
    level,
    ...(format ? { format } : {}),
    redactor,
    write: (line) => lines.push(line),
    now: () => new Date('2026-11-28T09:15:02.345Z'),
  });
  return { lines, logger, redactor };
}

describe('the JSON line logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { lines, logger } = capture();
    logger.child({ team: 'T1' }).info('attached', { ip: '192.168.100.23' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-28T09:15:02.345Z',
      level: 'info',
      msg: 'attached',
      team: 'T1',
      ip: '192.168.100.23',
    });
  });

  it('drops lines below the level', () => {
    const { lines, logger } = capture('info');
    logger.debug('noise');
    expect(lines).toEqual([]);
  });

  it('never writes a known secret or a token, even inside an error', () => {
    const { lines, logger, redactor } = capture();
    redactor.addSecret('bot-secret-password');
    const error = new OpenStackApiError(400, 'BadRequest', 'echo: bot-secret-password gAAAAABrCjXFLjx44AjCowsRU9J6jDO-bqOZvcroK', {
      service: 'network',
      method: 'PUT',
      path: '/floatingips/x',
      attempts: 1,
    });
    logger.error('failed', { error, headers: { 'x-auth-token': 'gAAAAABrCjXFLjx44AjCowsRU9J6jDO-bqOZvcroK-MUGKkfd83' } });
    expect(lines[0]).not.toContain('bot-secret-password');
    expect(lines[0]).not.toContain('gAAAAABrCjXF');
    expect((JSON.parse(lines[0]!) as { error: unknown }).error).toMatchObject({
      code: 'openstack_api_error',
      status: 400,
      type: 'BadRequest',
    });
  });
});

describe('the readable line logger (a terminal)', () => {
  it('writes the time of day, the level, the message, then key=value, quoting what is not one word', () => {
    const { lines, logger } = capture('info', 'pretty');
    logger.child({ team: 'T1' }).warn('attached', { ip: '192.168.100.23', instance: 'web 1', inFlight: 2, ok: true, checks: ['a', 'b'] });
    expect(lines).toEqual(['09:15:02.345 WARN  attached team=T1 ip=192.168.100.23 instance="web 1" inFlight=2 ok=true checks=["a","b"]']);
  });

  it('hides what the JSON line hides: known secrets, token shapes, secret members and headers', () => {
    const { lines, logger, redactor } = capture('info', 'pretty');
    redactor.addSecret('bot-secret-password');
    logger.error('failed: bot-secret-password', {
      password: 'hunter2-not-known',
      headers: { 'x-auth-token': 'gAAAAABrCjXFLjx44AjCowsRU9J6jDO-bqOZvcroK-MUGKkfd83' },
      slack: 'xoxb-1234-5678-abcdefgh',
    });
    expect(lines).toHaveLength(1);
    for (const secret of ['bot-secret-password', 'hunter2-not-known', 'gAAAAABrCjXF', 'xoxb-1234']) expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toMatch(/^09:15:02\.345 ERROR failed: \[REDACTED\] password=\[REDACTED\] /);
  });

  it('keeps one event on one line and obeys no escape sequence in a name', () => {
    const { lines, logger } = capture('info', 'pretty');
    logger.info('server \x1b[2J\x1b[31mevil\nnext', { name: 'evil\x1b[2J', stack: 'Error: x\n    at y' });
    expect(lines).toHaveLength(1);
    // eslint-disable-next-line no-control-regex -- looking for exactly the controls that must not be written
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/u);
    expect(lines[0]).toBe('09:15:02.345 INFO  server [2J[31mevil next name=evil[2J stack="Error: x\\n    at y"');
  });

  it('is chosen on a terminal, JSON elsewhere, and LOG_FORMAT decides when set', () => {
    const pipe = new PassThrough();
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    expect(chooseLogFormat(undefined, terminal)).toBe('pretty');
    expect(chooseLogFormat(undefined, pipe)).toBe('json');
    expect(chooseLogFormat('json', terminal)).toBe('json');
    expect(chooseLogFormat(' Pretty ', pipe)).toBe('pretty');
    // A wrong value is a configuration problem (settings), reported in the default format.
    expect(chooseLogFormat('yaml', terminal)).toBe('pretty');
  });
});
