/** ConsoleIO on a terminal or a pipe: prompts on stdout, lines from stdin, undefined at end of input. */
import { createInterface } from 'node:readline';
import { printable } from '../terminal-text.js';
import type { ConsoleIO } from './console.js';

export function terminalIO(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): ConsoleIO & { close(): void } {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const lines: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  let closed = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  rl.on('close', () => {
    closed = true;
    for (const next of waiting.splice(0)) next(undefined);
  });
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  return {
    ask(prompt) {
      output.write(prompt);
      const line = lines.shift();
      // A piped script does not echo: show what was "typed" so the transcript reads like a session.
      if (line !== undefined) {
        if (!interactive) output.write(`${printable(line)}\n`);
        return Promise.resolve(line);
      }
      if (closed) {
        output.write('\n');
        return Promise.resolve(undefined);
      }
      return new Promise((resolve) =>
        waiting.push((typed) => {
          if (!interactive && typed !== undefined) output.write(`${printable(typed)}\n`);
          resolve(typed);
        }),
      );
    },
    write(text) {
      output.write(`${text}\n`);
    },
    close() {
      rl.close();
    },
  };
}
