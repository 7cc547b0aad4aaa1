import { publisherArn } from '../access/resources.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import type { LedgerActor, LedgerWriter } from '../ledger/ledger-writer.js';
import type { Item, Store } from '../ports/store.js';
import { reportKeys } from './report-keys.js';
import type { PublisherGrant } from './report-model.js';

/** The grant an organization holds to publish to the global catalog, if any. */
export async function publisherGrantOf(store: Store, orgId: string): Promise<PublisherGrant | undefined> {
  const item = await store.get(reportKeys.publisher(orgId), { consistent: true });
  return item ? (JSON.parse(String(item.data)) as PublisherGrant) : undefined;
}

/**
 * The rules of publishing to the global catalog, shared by reports and agreements: the publishing
 * organization must hold a publisher grant (`not_a_publisher`), and only the organization that
 * published an entry changes it (`not_the_publisher`; other organizations may read it, so it is a 403).
 */
export async function requirePublisherGrant(store: Store, orgId: string): Promise<PublisherGrant> {
  const grant = await publisherGrantOf(store, orgId);
  if (!grant) throw new ForbiddenError('This organization holds no publisher grant.', 'not_a_publisher');
  return grant;
}

export function requirePublishingOrganization(publisherOrgId: string, callerOrgId: string, what: string): void {
  if (publisherOrgId !== callerOrgId) {
    throw new ForbiddenError(`Only the publishing organization may change this ${what}.`, 'not_the_publisher');
  }
}

/** Every grant is also on gsi1 under one partition, so the operator can list them. */
const grantsPartition = 'REPORTPUBLISHERS';

export function publisherGrantItem(grant: PublisherGrant): Item {
  return {
    ...reportKeys.publisher(grant.orgId),
    gsi1pk: grantsPartition,
    gsi1sk: grant.orgId,
    data: JSON.stringify(grant),
  };
}

export interface PublisherGrantInput {
  operator: boolean;
  companies: string[];
}

/**
 * Who may publish to the global catalog. Only an organization that itself holds an operator grant
 * changes grants (the first organization of a deployment gets one at bootstrap); the caller's
 * `portal:ManagePublishers` is asked by the route. An operator cannot revoke or demote its own grant
 * (it would lock the catalog's administration out).
 */
export class PublisherGrants {
  constructor(private readonly deps: { store: Store; ledger: LedgerWriter }) {}

  async get(orgId: string): Promise<PublisherGrant | undefined> {
    return publisherGrantOf(this.deps.store, orgId);
  }

  async requireOperator(orgId: string): Promise<void> {
    if (!(await this.get(orgId))?.operator) {
      throw new ForbiddenError('Only the portal operator organization manages publisher grants.', 'not_the_operator');
    }
  }

  async list(callerOrgId: string): Promise<PublisherGrant[]> {
    await this.requireOperator(callerOrgId);
    return this.listFromDeployment();
  }

  async grant(
    caller: { orgId: string; actor: LedgerActor },
    targetOrgId: string,
    input: PublisherGrantInput,
  ): Promise<PublisherGrant> {
    await this.requireOperator(caller.orgId);
    if (targetOrgId === caller.orgId && !input.operator) {
      throw new ConflictError('The operator organization cannot demote its own grant.', 'own_operator_grant');
    }
    const grant: PublisherGrant = {
      orgId: targetOrgId,
      operator: input.operator,
      companies: [...new Set(input.companies)].sort(),
    };
    await this.deps.ledger.append({
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'report:PublisherGranted',
      subject: publisherArn(caller.orgId, targetOrgId),
      details: { publisherOrgId: targetOrgId, operator: grant.operator, companies: grant.companies },
      alsoWrite: [{ kind: 'put', item: publisherGrantItem(grant) }],
    });
    return grant;
  }

  /**
   * The deployment's own hand (the CLI with the deployment's credentials, like bootstrap): no
   * operator check, recorded in the target organization's ledger as a system act.
   */
  async grantFromDeployment(targetOrgId: string, input: PublisherGrantInput, via = 'cli'): Promise<PublisherGrant> {
    const grant: PublisherGrant = {
      orgId: targetOrgId,
      operator: input.operator,
      companies: [...new Set(input.companies)].sort(),
    };
    await this.deps.ledger.append({
      orgId: targetOrgId,
      actor: { type: 'system', id: via },
      action: 'report:PublisherGranted',
      subject: publisherArn(targetOrgId, targetOrgId),
      details: { publisherOrgId: targetOrgId, operator: grant.operator, companies: grant.companies },
      alsoWrite: [{ kind: 'put', item: publisherGrantItem(grant) }],
    });
    return grant;
  }

  /** Every grant, for the deployment's own hand (the CLI). */
  async listFromDeployment(): Promise<PublisherGrant[]> {
    const out: PublisherGrant[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.query(grantsPartition, {
        index: 'gsi1',
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const item of page.items) out.push(JSON.parse(String(item.data)) as PublisherGrant);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async revoke(caller: { orgId: string; actor: LedgerActor }, targetOrgId: string): Promise<void> {
    await this.requireOperator(caller.orgId);
    if (targetOrgId === caller.orgId) {
      throw new ConflictError('The operator organization cannot revoke its own grant.', 'own_operator_grant');
    }
    if (!(await this.get(targetOrgId))) throw new NotFoundError(`No publisher grant for ${targetOrgId}.`);
    await this.deps.ledger.append({
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'report:PublisherRevoked',
      subject: publisherArn(caller.orgId, targetOrgId),
      details: { publisherOrgId: targetOrgId },
      alsoWrite: [{ kind: 'delete', key: reportKeys.publisher(targetOrgId), condition: { kind: 'exists' } }],
    });
  }
}
