import { errorCatalog } from '../error-codes.js';

/** Refusals of the organization module: the tree of units and accounts, and bootstrap. */
export const organizationErrors = errorCatalog('organization', {
  already_exists: {
    kind: 'conflict',
    description: 'The organization id or the deployment bootstrap already exists.',
  },
  already_bootstrapped: { kind: 'conflict', description: 'This deployment already has its first organization.' },
  unit_not_empty: { kind: 'conflict', description: 'Move or remove the units and accounts in this unit first.' },
  account_exists: { kind: 'conflict', description: 'Your organization already has an account with that id.' },
  management_account: { kind: 'conflict', description: 'The management account cannot leave its organization.' },
  account_has_users: { kind: 'conflict', description: 'Deactivate or move the users of this account first.' },
  organization_changed: {
    kind: 'conflict',
    description: 'The organization changed meanwhile, or an item the change names is gone; reload and retry.',
  },
});

export type OrganizationErrorCode = (typeof organizationErrors.list)[number];
