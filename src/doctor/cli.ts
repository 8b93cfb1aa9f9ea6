/** `npm run doctor`: the doctor command (command.ts) on this process's environment and streams. */
import { homedir } from 'node:os';
import { runDoctorCommand } from './command.js';

process.exitCode = await runDoctorCommand(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  homeDir: homedir(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
