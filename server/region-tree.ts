/**
 * The hub's region tree held per process (issue 13: two region queries were half of a list request's statements
 * to the hub database). The tree is small (a district's streets and communities) and changes only when a data set
 * or an operator rewrites it.
 *
 * Contract: `all()` answers what the `region` table holds now, or what it held when last read and nothing has
 * changed since: every change is announced at commit (migration `reference_change_notify`, channel
 * hub_reference_change) and drops the copy on every instance. While the change listener is not listening nothing
 * is kept: each call reads the table. A read under way when a change is announced is not kept.
 */
import type { PrismaClient } from '../prisma/client';
import type { Region } from '../prisma/generated/client';
import type { RegionDirectory } from '../resolvers/loaders';
import type { ChangeListener } from './change-listener';

export const REFERENCE_CHANGE_CHANNEL = 'hub_reference_change';

export class RegionTree implements RegionDirectory {
  private kept: ReadonlyMap<string, Region> | undefined;
  private reading: Promise<ReadonlyMap<string, Region>> | undefined;
  private generation = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly changes: ChangeListener,
  ) {
    changes.subscribe(REFERENCE_CHANGE_CHANNEL, (table) => {
      if (table === 'region' || table === 'lost' || table === 'listening') this.forget();
    });
  }

  peek(): ReadonlyMap<string, Region> | undefined {
    return this.kept;
  }

  all(): Promise<ReadonlyMap<string, Region>> {
    if (this.kept) return Promise.resolve(this.kept);
    if (this.reading) return this.reading;
    const generation = this.generation;
    const reading = this.prisma.region.findMany().then((rows) => new Map(rows.map((region) => [region.code, region])));
    this.reading = reading;
    const done = () => {
      if (this.reading === reading) this.reading = undefined;
    };
    reading.then((tree) => {
      done();
      if (generation === this.generation && this.changes.listening) this.kept = tree;
    }, done);
    return reading;
  }

  private forget(): void {
    this.generation += 1;
    this.kept = undefined;
    this.reading = undefined;
  }
}
