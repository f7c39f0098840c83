/**
 * `npm run audit:verify [-- --head <seq>:<hash>]`: verifies the whole audit chain in the hub database.
 *
 * Contract: prints the number of events checked and the head (seq and hash; record it elsewhere, and pass it
 * back with --head later to detect deletion of the newest events). On any tampering (a changed, deleted or
 * inserted row, or a missing recorded head) prints the first broken link and exits 1; exits 0 when the chain
 * verifies.
 */
import { parseArgs } from 'node:util';
import { AuditTrail } from '../server/audit/trail';
import { createPrismaClient } from '../prisma/client';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { head: { type: 'string' } } });
  const head = values.head?.match(/^(\d+):([0-9a-f]{64})$/);
  if (values.head && !head) {
    process.stderr.write('--head must be <seq>:<64 hex characters>, as printed by an earlier run\n');
    return 2;
  }
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: run through `npm run audit:verify`');
  const prisma = createPrismaClient(process.env.DATABASE_URL);
  try {
    const status = await new AuditTrail(prisma).verify(head ? { seq: head[1]!, hash: head[2]! } : undefined);
    if (status.ok) {
      process.stdout.write(
        `audit chain OK: ${status.checkedEvents} events verified\nhead: ${status.headSeq ?? '-'}:${status.headHash ?? '-'}\n`,
      );
      return 0;
    }
    const broken = status.firstBroken!;
    process.stdout.write(
      `audit chain BROKEN at event ${broken.seq} (${broken.reason}): ${broken.message}\n` +
        `${status.checkedEvents} events verified before it; last good: ${status.headSeq ?? '-'}:${status.headHash ?? '-'}\n`,
    );
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
