/**
 * What the server hands the 出生一件事 use cases (cases.ts) through each request's context: the workflow
 * runtime's controls, the case store and the settings. Declared here, with nothing of resolvers/ imported, so
 * that the request context can name it without a cycle.
 */
import type { BirthWorkflowControl } from './runtime';
import type { BirthStore } from './store';

export interface BirthApplicationEvents {
  /**
   * Subscribes to a case's history events (on every hub instance, through NOTIFY); returns the unsubscribe.
   * The listener hears the seq of each event announced, or null when announcements may have been missed (the
   * listening connection was lost and is back): a subscriber then reads the case's events past the last one
   * it delivered, which it does on every call anyway.
   */
  subscribe(applicationId: string, listener: (seq: bigint | null) => void): () => void;
}

export interface BirthServices {
  control: BirthWorkflowControl;
  store: BirthStore;
  events: BirthApplicationEvents;
  /** The DBOS application name this hub runs cases under. */
  workflowApp: string;
  ageLimitDays: number;
  serviceDays: number;
  now: () => Date;
}

declare module '../../resolvers/context' {
  interface JointServices {
    /** The 出生一件事 joint application (null when this hub runs no workflows). */
    birth: BirthServices | null;
  }
}
