import type { Authorizer } from '../access/principal.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import type { DeliveryAccess } from './delivery-access.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import type { DeliveryReport } from './delivery-report.js';
import type { EmailSender, WebhookTransport } from './notification-ports.js';

export interface DeliveryWorkerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  transport: WebhookTransport;
  email: EmailSender;
  policy?: Partial<DeliveryPolicy>;
  /**
   * The access module: before an entry reaches a subscriber, and again before each send attempt, it
   * decides whether that subscriber may still read the entry's subject (delivery-access.ts). The
   * scheduled job always passes it (runNotificationJob requires it); without it kinds and filters
   * are the only gate, which only tests of other concerns rely on.
   */
  authorizer?: Authorizer;
}

/** One organization's delivery run: its dependencies, policy and access check, and the report it fills. */
export interface DeliveryRun {
  deps: DeliveryWorkerDeps;
  policy: DeliveryPolicy;
  orgId: string;
  report: DeliveryReport;
  access: DeliveryAccess | undefined;
}
