import type { MemberAccount, Organization, OrganizationalUnit, OrganizationTreeNode } from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

/** Response shapes of the organization routes and their presenters (each lists its fields). */
export const AccountSchema = z
  .object({
    accountId: z.string(),
    name: z.string(),
    parentId: z.string(),
    isManagement: z.boolean(),
    joinedAt: z.string(),
  })
  .openapi('MemberAccount');

export const presentAccount = (account: MemberAccount): z.infer<typeof AccountSchema> => ({
  accountId: account.accountId,
  name: account.name,
  parentId: account.parentId,
  isManagement: account.isManagement,
  joinedAt: account.joinedAt,
});

export const UnitSchema = z
  .object({ unitId: z.string(), name: z.string(), parentId: z.string(), createdAt: z.string() })
  .openapi('OrganizationalUnit');

export const presentUnit = (unit: OrganizationalUnit): z.infer<typeof UnitSchema> => ({
  unitId: unit.unitId,
  name: unit.name,
  parentId: unit.parentId,
  createdAt: unit.createdAt,
});

interface TreeNodeBody {
  id: string;
  kind: 'root' | 'unit';
  name: string;
  units: TreeNodeBody[];
  accounts: Array<z.infer<typeof AccountSchema>>;
}

export const TreeNodeSchema: z.ZodType<TreeNodeBody> = z
  .object({
    id: z.string(),
    kind: z.enum(['root', 'unit']),
    name: z.string(),
    units: z.array(z.lazy(() => TreeNodeSchema)),
    accounts: z.array(AccountSchema),
  })
  .openapi('OrganizationTreeNode');

const presentNode = (node: OrganizationTreeNode): TreeNodeBody => ({
  id: node.id,
  kind: node.kind,
  name: node.name,
  units: node.units.map(presentNode),
  accounts: node.accounts.map(presentAccount),
});

export const OrganizationTreeSchema = z
  .object({
    organization: z.object({
      orgId: z.string(),
      name: z.string(),
      rootId: z.string(),
      managementAccountId: z.string(),
      createdAt: z.string(),
    }),
    root: TreeNodeSchema,
  })
  .openapi('OrganizationTree');

export const presentOrganizationTree = (tree: {
  organization: Organization;
  root: OrganizationTreeNode;
}): z.infer<typeof OrganizationTreeSchema> => ({
  organization: {
    orgId: tree.organization.orgId,
    name: tree.organization.name,
    rootId: tree.organization.rootId,
    managementAccountId: tree.organization.managementAccountId,
    createdAt: tree.organization.createdAt,
  },
  root: presentNode(tree.root),
});
