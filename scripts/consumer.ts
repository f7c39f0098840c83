/**
 * Consumer administration from the command line: `npm run consumer -- <command> …` (see `help` below).
 *
 * Contract: runs against the hub database (DATABASE_URL, or the embedded default while the hub is stopped),
 * writes the sharing catalogue first (so grants can name its items on a fresh database), then performs one
 * command through the same functions the administrator's mutations use. A new key is printed once, on stdout,
 * alone on its line after `api-key:`; the hub keeps only its hash. Bad input exits 2 with the reason.
 */
import { parseArgs } from 'node:util';
import { schema } from '../schema';
import { syncCatalogue } from '../server/access/catalogue';
import { createConsumer, listConsumers, rotateKey, setConsumerStatus, type ConsumerSummary } from '../resolvers/consumers';
import { HubError } from '../domain/errors';
import { scalarText } from '../domain/text';
import { createPrismaClient } from '../prisma/client';

const HELP = `Usage: npm run consumer -- <command>

  create --code <code> --name <name> --department <department> --purpose <code>… [--role ADMIN|AUDITOR|DEVELOPER]…
         [--region <region code>] [--rate-limit <per minute>] [--grant <ITEM>[:<PURPOSE>,<PURPOSE>…]]…
  list [--json]
  rotate <code>          issue a new key; earlier keys stop working at once
  suspend <code>         refuse the consumer until activated again
  activate <code>
  revoke <code>          final: the consumer and its keys stop working for good

A 有条件共享 (conditional) item needs the purposes its sharing agreement approves: --grant PS_IDENTITY:ELDERLY_CARE_SERVICE`;

function describe(consumer: ConsumerSummary): string {
  const grants = consumer.grants.map((g) => (g.purposes.length ? `${g.itemCode}:${g.purposes.join(',')}` : g.itemCode));
  const keys = consumer.keys.filter((k) => !k.revokedAt).map((k) => k.keyPrefix);
  return [
    `${consumer.code}\t${consumer.status}\t${consumer.name} (${consumer.department})`,
    `  roles: ${consumer.roles.join(', ') || '-'}   purposes: ${consumer.purposes.join(', ')}   region: ${consumer.regionCode ?? 'all'}   rate limit: ${consumer.rateLimitPerMinute ?? 'default'}/min`,
    `  grants: ${grants.join(' ') || '-'}`,
    `  valid keys: ${keys.join(' ') || '-'}`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${HELP}\n`);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      department: { type: 'string' },
      purpose: { type: 'string', multiple: true },
      role: { type: 'string', multiple: true },
      region: { type: 'string' },
      'rate-limit': { type: 'string' },
      grant: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: run through `npm run consumer`');
  const prisma = createPrismaClient(process.env.DATABASE_URL);
  try {
    await syncCatalogue(prisma, schema);
    const code = positionals[0] ?? values.code;
    const needCode = () => {
      if (!code) throw new HubError('BAD_USER_INPUT', `${command} needs a consumer code`, { field: 'code' });
      return code;
    };
    switch (command) {
      case 'create': {
        const { consumer, apiKey } = await createConsumer(prisma, {
          code: values.code ?? '',
          name: values.name ?? '',
          department: values.department ?? '',
          purposes: values.purpose ?? [],
          roles: (values.role ?? []) as Array<'ADMIN' | 'AUDITOR' | 'DEVELOPER'>,
          regionCode: values.region ?? null,
          rateLimitPerMinute: values['rate-limit'] === undefined ? null : Number(values['rate-limit']),
          grants: (values.grant ?? []).map((grant) => {
            const [item, purposes] = grant.split(':');
            return { item: item ?? '', purposes: purposes ? purposes.split(',').filter(Boolean) : [] };
          }),
        });
        process.stdout.write(`${describe(consumer)}\napi-key: ${apiKey}\n`);
        process.stderr.write('Store the key now: it is shown only this once.\n');
        return 0;
      }
      case 'list': {
        const consumers = await listConsumers(prisma);
        process.stdout.write(values.json ? `${JSON.stringify(consumers, null, 2)}\n` : `${consumers.map(describe).join('\n')}\n`);
        return 0;
      }
      case 'rotate': {
        const { consumer, apiKey } = await rotateKey(prisma, needCode());
        process.stdout.write(`${describe(consumer)}\napi-key: ${apiKey}\n`);
        process.stderr.write('Store the key now: it is shown only this once. Earlier keys no longer work.\n');
        return 0;
      }
      case 'suspend':
      case 'activate':
      case 'revoke': {
        const status = command === 'suspend' ? 'SUSPENDED' : command === 'activate' ? 'ACTIVE' : 'REVOKED';
        process.stdout.write(`${describe(await setConsumerStatus(prisma, needCode(), status))}\n`);
        return 0;
      }
      default:
        process.stderr.write(`Unknown command ${command}\n\n${HELP}\n`);
        return 2;
    }
  } finally {
    await prisma.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof HubError) {
      const field = error.extensions.field ? ` (${scalarText(error.extensions.field)})` : '';
      process.stderr.write(`${error.code}${field}: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
