/** A consumer (departmental system) as a request sees it, after authentication. */

export type ConsumerRole = 'ADMIN' | 'AUDITOR' | 'DEVELOPER' | 'REPORTER';
export type ConsumerStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

export interface AuthenticatedConsumer {
  id: string;
  code: string;
  name: string;
  department: string;
  status: ConsumerStatus;
  roles: Set<ConsumerRole>;
  purposes: Set<string>;
  regionCode: string | null;
  rateLimitPerMinute: number | null;
  /** Catalogue item → purposes its grant approved (empty for unconditional items). */
  grants: Map<string, Set<string>>;
}
