import { useState } from 'react';
import {
  useAddAccount,
  useCreateUnit,
  useDeleteUnit,
  useMoveAccount,
  useOrgTree,
  useRemoveAccount,
} from '../../api/org.js';
import type { MemberAccount, TreeNode } from '../../api/types.js';
import { Dialog, DialogActions } from '../../ui/dialog.js';
import { Choices, errorsFor, SelectField, TextField } from '../../ui/field.js';
import { formatDate } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, ProblemBanner } from '../../ui/states.js';
import { useCanManage } from './org-layout.js';

function containers(node: TreeNode, depth = 0): Array<{ id: string; label: string }> {
  return [
    { id: node.id, label: `${'— '.repeat(depth)}${node.kind === 'root' ? 'Root' : node.name}` },
    ...node.units.flatMap((unit) => containers(unit, depth + 1)),
  ];
}

export function OrgTreePage() {
  const tree = useOrgTree();
  const canManage = useCanManage('organization');
  const [adding, setAdding] = useState<'account' | 'unit' | undefined>();
  const [moving, setMoving] = useState<MemberAccount | undefined>();
  const [removing, setRemoving] = useState<MemberAccount | undefined>();
  return (
    <Page
      title="Organization structure"
      actions={
        canManage && (
          <>
            <button type="button" className="button-primary" onClick={() => setAdding('account')}>
              Add account
            </button>
            <button type="button" className="button-secondary" onClick={() => setAdding('unit')}>
              Create OU
            </button>
          </>
        )
      }
    >
      <Await query={tree} what="the organization">
        {(data) => {
          const places = containers(data.root);
          return (
            <>
              <p className="lead">
                {data.organization.name} · management account <code>{data.organization.managementAccountId}</code>
              </p>
              <ul className="tree" aria-label="Organizational units and accounts">
                <TreeBranch node={data.root} canManage={canManage} onMove={setMoving} onRemove={setRemoving} />
              </ul>
              {adding === 'account' && <AddAccountDialog places={places} onClose={() => setAdding(undefined)} />}
              {adding === 'unit' && <CreateUnitDialog places={places} onClose={() => setAdding(undefined)} />}
              {moving && <MoveAccountDialog account={moving} places={places} onClose={() => setMoving(undefined)} />}
              {removing && <RemoveAccountDialog account={removing} onClose={() => setRemoving(undefined)} />}
            </>
          );
        }}
      </Await>
    </Page>
  );
}

function TreeBranch({
  node,
  canManage,
  onMove,
  onRemove,
}: {
  node: TreeNode;
  canManage: boolean;
  onMove: (account: MemberAccount) => void;
  onRemove: (account: MemberAccount) => void;
}) {
  const deleteUnit = useDeleteUnit();
  const empty = node.units.length === 0 && node.accounts.length === 0;
  return (
    <li className="tree-node">
      <span className="tree-label">
        <span className="tree-kind">{node.kind === 'root' ? 'Root' : 'OU'}</span>{' '}
        {node.kind === 'root' ? 'Organization root' : node.name} <code>{node.id}</code>
        {canManage && node.kind === 'unit' && empty && (
          <button type="button" className="button-link" onClick={() => deleteUnit.mutate(node.id)}>
            Delete empty OU
          </button>
        )}
      </span>
      {deleteUnit.error && <ProblemBanner error={deleteUnit.error} />}
      <ul>
        {node.accounts.map((account) => (
          <li key={account.accountId} className="tree-account">
            <span className="tree-kind">Account</span> {account.name} <code>{account.accountId}</code>
            {account.isManagement && <span className="badge">Management</span>}
            <span className="muted"> joined {formatDate(account.joinedAt)}</span>
            {canManage && !account.isManagement && (
              <>
                <button type="button" className="button-link" onClick={() => onMove(account)}>
                  Move<span className="visually-hidden"> {account.name}</span>
                </button>
                <button type="button" className="button-link" onClick={() => onRemove(account)}>
                  Remove<span className="visually-hidden"> {account.name}</span>
                </button>
              </>
            )}
          </li>
        ))}
        {node.units.map((unit) => (
          <TreeBranch key={unit.id} node={unit} canManage={canManage} onMove={onMove} onRemove={onRemove} />
        ))}
      </ul>
    </li>
  );
}

function AddAccountDialog({ places, onClose }: { places: Array<{ id: string; label: string }>; onClose: () => void }) {
  const add = useAddAccount();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState(places[0]?.id ?? '');
  const [accountId, setAccountId] = useState('');
  return (
    <Dialog title="Add a member account" open onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await add
            .mutateAsync({ name, parentId, ...(accountId.trim() ? { accountId: accountId.trim() } : {}) })
            .then(onClose, () => undefined);
        }}
      >
        <TextField
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errorsFor(add.error, 'name')}
        />
        <TextField
          label="Account id (optional)"
          hint="12 digits; left empty, one is assigned."
          inputMode="numeric"
          value={accountId}
          onChange={(e) => setAccountId(e.target.value)}
          errors={errorsFor(add.error, 'accountId')}
        />
        <SelectField label="Place it in" value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <Choices options={places.map((place) => ({ value: place.id, label: place.label }))} />
        </SelectField>
        <p className="muted">It joins at once: organization-wide agreements cover it from now on.</p>
        {add.error && <ProblemBanner error={add.error} />}
        <DialogActions onCancel={onClose}>
          <button type="submit" className="button-primary" disabled={add.isPending}>
            Add account
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function CreateUnitDialog({ places, onClose }: { places: Array<{ id: string; label: string }>; onClose: () => void }) {
  const create = useCreateUnit();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState(places[0]?.id ?? '');
  return (
    <Dialog title="Create an organizational unit" open onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await create.mutateAsync({ name, parentId }).then(onClose, () => undefined);
        }}
      >
        <TextField
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errorsFor(create.error, 'name')}
        />
        <SelectField label="Parent" value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <Choices options={places.map((place) => ({ value: place.id, label: place.label }))} />
        </SelectField>
        {create.error && <ProblemBanner error={create.error} />}
        <DialogActions onCancel={onClose}>
          <button type="submit" className="button-primary" disabled={create.isPending}>
            Create OU
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function MoveAccountDialog({
  account,
  places,
  onClose,
}: {
  account: MemberAccount;
  places: Array<{ id: string; label: string }>;
  onClose: () => void;
}) {
  const move = useMoveAccount();
  const [destination, setDestination] = useState(places.find((p) => p.id !== account.parentId)?.id ?? '');
  return (
    <Dialog title={`Move ${account.name}`} open onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await move
            .mutateAsync({ accountId: account.accountId, destinationParentId: destination })
            .then(onClose, () => undefined);
        }}
      >
        <SelectField label="Move to" value={destination} onChange={(e) => setDestination(e.target.value)}>
          {places
            .filter((place) => place.id !== account.parentId)
            .map((place) => (
              <option key={place.id} value={place.id}>
                {place.label}
              </option>
            ))}
        </SelectField>
        <p className="muted">Guardrails of the new place apply to the account’s users at once.</p>
        {move.error && <ProblemBanner error={move.error} />}
        <DialogActions onCancel={onClose}>
          <button type="submit" className="button-primary" disabled={move.isPending || !destination}>
            Move account
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function RemoveAccountDialog({ account, onClose }: { account: MemberAccount; onClose: () => void }) {
  const remove = useRemoveAccount();
  return (
    <Dialog title={`Remove ${account.name}`} open onClose={onClose}>
      <p>
        Account <code>{account.accountId}</code> leaves the organization at once: it loses the coverage it had through
        organization-wide agreements (its own acceptances stay on record). Accounts with active users cannot be removed.
      </p>
      {remove.error && <ProblemBanner error={remove.error} />}
      <DialogActions onCancel={onClose}>
        <button
          type="button"
          className="button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutateAsync(account.accountId).then(onClose, () => undefined)}
        >
          Remove account
        </button>
      </DialogActions>
    </Dialog>
  );
}
