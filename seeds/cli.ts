/**
 * Entry point of `npm run seed` (package.json: "seed": "tsx seeds/cli.ts"); see seeds/command.ts for the options
 * and seeds/README.md for the data set.
 */
import { runSeedCommand } from './command';

runSeedCommand(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
