import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { OpenStackApiError } from '../src/openstack/errors.js';
import { Redactor } from '../src/openstack/redact.js';

function capture(level?: 'debug' | 'info') {
  const lines: string[] = [];
  const redactor = new Redactor();
  const logger = createLogger({ level, redactor, write: (line) => lines.push(line), now: () => new Date('2026-11-28T00:00:00Z') });
  return { lines, logger, redactor };
}

describe('the JSON line logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { lines, logger } = capture();
    logger.child({ team: 'T1' }).info('attached', { ip: '192.168.100.23' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-28T00:00:00.000Z',
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
