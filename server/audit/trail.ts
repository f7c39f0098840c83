/**
 * The audit trail in the hub database: appending events to the hash chain, verifying it, and reading it.
 *
 * Contract:
 * - `append` resolves once the event is committed, and rejects if it could not be (callers fail closed).
 *   Appends are serialised: in this process by a queue that commits waiting events together in one
 *   transaction (group commit), across processes by a PostgreSQL advisory lock held while the chain head is
 *   read and extended. `prev_hash` is unique, so a fork cannot be stored even by mistake.
 * - `appendIn` appends inside a transaction the caller holds (the workflows' state changes).
 * - `verify` walks the whole chain in `seq` order and reports the first row whose hash does not match its
 *   contents or whose `prevHash` is not the previous row's hash (a changed, deleted or inserted row), and the
 *   head (seq and hash), which an operator can record elsewhere and pass back as `expectHead` to detect
 *   truncation of the newest rows.
 */
import type { AuditEvent, Prisma } from '../../prisma/generated/client';
import type { PrismaClient } from '../../prisma/client';
import {
  canonicalEncoding,
  encodingAroundPrevHash,
  GENESIS_HASH,
  sha256,
  type AuditEventContent,
  type ChainStatus,
} from '../../domain/audit-chain';

export type { ChainStatus };

const VERIFY_PAGE = 1000;
const MAX_GROUP = 200;

interface Pending {
  event: AuditEventContent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AuditTrail {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(private readonly prisma: PrismaClient) {}

  append(event: AuditEventContent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      try {
        await this.commit(group.map((pending) => pending.event));
        for (const pending of group) pending.resolve();
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    }
    this.draining = false;
  }

  private commit(events: AuditEventContent[]): Promise<void> {
    return appendIn(this.prisma, events);
  }

  /**
   * Runs `work` (a change: administration) and appends its `event` in one transaction, so the change and its
   * audit event commit together or not at all. `work` receives a client bound to the transaction; its own
   * `$transaction` calls join this one. The chain's lock is taken only after `work`, for the insert.
   */
  withEvent<T>(event: AuditEventContent, work: (db: PrismaClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const result = await work(joiningTransaction(tx));
        await appendIn(tx, [event]);
        return result;
      },
      { maxWait: 10000, timeout: 30000 },
    );
  }

  /**
   * Appends `events` inside the caller's transaction, so that they commit or roll back with the caller's own
   * writes (a workflow's state change and its audit event, together or not at all). Takes the chain's
   * advisory lock until that transaction ends: keep the transaction short.
   */
  appendIn(tx: Prisma.TransactionClient, events: AuditEventContent[]): Promise<void> {
    return appendIn(tx, events);
  }

  async verify(expectHead?: { seq: string; hash: string }): Promise<ChainStatus> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let last: AuditEvent | null = null;
    let headSeen = !expectHead;
    for (let after: bigint | null = null; ;) {
      const page: AuditEvent[] = await this.prisma.auditEvent.findMany({
        where: after === null ? {} : { seq: { gt: after } },
        orderBy: { seq: 'asc' },
        take: VERIFY_PAGE,
      });
      for (const row of page) {
        const seq = row.seq.toString();
        if (row.prevHash !== prevHash) {
          return this.broken(
            checked,
            last,
            seq,
            'BROKEN_LINK',
            `event ${seq} does not follow the event before it (a row before it was deleted, inserted or changed)`,
          );
        }
        if (sha256(canonicalEncoding(row)) !== row.hash) {
          return this.broken(
            checked,
            last,
            seq,
            'HASH_MISMATCH',
            `event ${seq} does not match its hash (its contents were changed)`,
          );
        }
        if (expectHead && seq === expectHead.seq) {
          if (row.hash !== expectHead.hash) {
            return this.broken(checked, last, seq, 'HEAD_MISSING', `event ${seq} is not the head recorded earlier`);
          }
          headSeen = true;
        }
        prevHash = row.hash;
        last = row;
        checked += 1;
      }
      if (page.length < VERIFY_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    if (!headSeen) {
      return this.broken(
        checked,
        last,
        expectHead!.seq,
        'HEAD_MISSING',
        `event ${expectHead!.seq}, the head recorded earlier, is gone (the newest events were deleted)`,
      );
    }
    return {
      ok: true,
      checkedEvents: checked,
      headSeq: last?.seq.toString() ?? null,
      headHash: last?.hash ?? null,
      firstBroken: null,
    };
  }

  private broken(
    checked: number,
    last: AuditEvent | null,
    seq: string,
    reason: NonNullable<ChainStatus['firstBroken']>['reason'],
    message: string,
  ): ChainStatus {
    return {
      ok: false,
      checkedEvents: checked,
      headSeq: last?.seq.toString() ?? null,
      headHash: last?.hash ?? null,
      firstBroken: { seq, reason, message },
    };
  }
}

export type AuditEventWhere = Prisma.AuditEventWhereInput;

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Appends events to the chain in one statement (migration `audit_append_one_statement`): inside `db`'s transaction
 * when it is one, else in the statement's own. The database takes the chain's lock, reads its head and inserts.
 */
async function appendIn(db: Transaction | PrismaClient, events: AuditEventContent[]): Promise<void> {
  const rows = events.map((event) => {
    const { head, tail } = encodingAroundPrevHash(event);
    return {
      time: event.time.toISOString(),
      consumerId: event.consumerId,
      consumerCode: event.consumerCode,
      purpose: event.purpose,
      operationName: event.operationName,
      documentHash: event.documentHash,
      subjects: event.subjects,
      catalogueItems: event.catalogueItems,
      outcome: event.outcome,
      requestId: event.requestId,
      target: event.target ?? null,
      variablesHash: event.variablesHash ?? null,
      encodingHead: head,
      encodingTail: tail,
    };
  });
  await db.$executeRaw`SELECT hub_audit_append(${JSON.stringify(rows)}::jsonb)`;
}

/** A transaction client whose `$transaction(fn)` runs `fn` inside the same transaction (Prisma has no nesting). */
function joiningTransaction(tx: Transaction): PrismaClient {
  const joined: PrismaClient = new Proxy(tx, {
    get(target, property, receiver) {
      if (property === '$transaction') {
        return (work: unknown) =>
          typeof work === 'function'
            ? (work as (db: PrismaClient) => Promise<unknown>)(joined)
            : Promise.all(work as Array<Promise<unknown>>);
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as unknown as PrismaClient;
  return joined;
}
