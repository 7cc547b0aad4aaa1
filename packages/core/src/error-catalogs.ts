import { accessErrors } from './access/access-errors.js';
import { agreementErrors } from './agreements/agreement-errors.js';
import { commonErrors, type ErrorCatalog } from './error-codes.js';
import { evidenceErrors } from './evidence/evidence-errors.js';
import { identityErrors } from './identity/identity-errors.js';
import { notificationErrors } from './notifications/notification-errors.js';
import { organizationErrors } from './organization/organization-errors.js';
import { reportErrors } from './reports/report-errors.js';

/** Every module's error codes (the ledger's are still to be catalogued in its module). */
export const moduleErrorCatalogs: readonly ErrorCatalog[] = [
  commonErrors,
  accessErrors,
  identityErrors,
  organizationErrors,
  agreementErrors,
  reportErrors,
  notificationErrors,
  evidenceErrors,
];

export {
  accessErrors,
  agreementErrors,
  commonErrors,
  identityErrors,
  notificationErrors,
  organizationErrors,
  reportErrors,
};
