import { accessErrors } from './access/access-errors.js';
import { agreementErrors } from './agreements/agreement-errors.js';
import { inquiryErrors } from './compliance-inquiries/inquiry-errors.js';
import { commonErrors, type ErrorCatalog } from './error-codes.js';
import { evidenceErrors } from './evidence/evidence-errors.js';
import { identityErrors } from './identity/identity-errors.js';
import { ledgerErrors } from './ledger/ledger-errors.js';
import { notificationErrors } from './notifications/notification-errors.js';
import { organizationErrors } from './organization/organization-errors.js';
import { reportErrors } from './reports/report-errors.js';

/** Every module's error codes. */
export const moduleErrorCatalogs: readonly ErrorCatalog[] = [
  commonErrors,
  accessErrors,
  identityErrors,
  organizationErrors,
  agreementErrors,
  reportErrors,
  notificationErrors,
  ledgerErrors,
  evidenceErrors,
  inquiryErrors,
];

export {
  accessErrors,
  agreementErrors,
  commonErrors,
  evidenceErrors,
  identityErrors,
  inquiryErrors,
  ledgerErrors,
  notificationErrors,
  organizationErrors,
  reportErrors,
};
