import { type FormEvent, useState } from 'react';
import { resources, usePermissions } from '../../api/permissions.js';
import { type TaggedKind, useResourceTags, useTagResource, useUntagResource } from '../../api/tags.js';
import type { PermissionQuestion } from '../../api/types.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { Empty, Loading, ProblemBanner } from '../../ui/states.js';

/**
 * The organization's tags on a report or an agreement (docs/tags.md): listed when the session may list them,
 * added and removed when it may tag and untag (asked of POST /api/permissions, never decided here). Tags
 * are the organization's own: another organization never sees them.
 */
export function ResourceTags({
  kind,
  id,
  context = {},
}: {
  kind: TaggedKind;
  id: string;
  /** The resource's condition keys (a report's category and series), for the permission questions. */
  context?: PermissionQuestion['context'];
}) {
  const resource = kind === 'report' ? resources.report(id) : resources.agreement(id);
  const permissions = usePermissions([
    { action: 'portal:ListTagsForResource', resource, context },
    { action: 'portal:TagResource', resource, context },
    { action: 'portal:UntagResource', resource, context },
  ]);
  const [canList, canTag, canUntag] = [permissions.allowed(0), permissions.allowed(1), permissions.allowed(2)];
  const tags = useResourceTags(kind, id, canList === true);
  const tag = useTagResource(kind, id);
  const untag = useUntagResource(kind, id);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');

  if (canList === false) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    untag.reset();
    tag.mutate(
      { [key.trim()]: value },
      {
        onSuccess: () => {
          setKey('');
          setValue('');
        },
      },
    );
  };
  const entries = Object.entries(tags.data?.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby={`tags-${kind}-${id}`} className="resource-tags" data-testid="resource-tags">
      <h2 id={`tags-${kind}-${id}`}>Tags</h2>
      <p className="muted">Your organization’s own labels on this {kind}; other organizations do not see them.</p>
      {permissions.error ? (
        <ProblemBanner error={permissions.error} onRetry={() => void permissions.refetch()} />
      ) : canList === undefined || tags.isPending ? (
        <Loading what="the tags" />
      ) : tags.error ? (
        <ProblemBanner error={tags.error} onRetry={() => void tags.refetch()} />
      ) : entries.length === 0 ? (
        <Empty>No tags yet.</Empty>
      ) : (
        <table className="table" data-testid="tags-table">
          <caption className="visually-hidden">Tags</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              {canUntag && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {entries.map(([tagKey, tagValue]) => (
              <tr key={tagKey}>
                <th scope="row">
                  <code>{tagKey}</code>
                </th>
                <td>{tagValue || <span className="muted">(empty)</span>}</td>
                {canUntag && (
                  <td>
                    <button
                      type="button"
                      className="button-secondary"
                      aria-label={`Remove tag ${tagKey}`}
                      disabled={untag.isPending}
                      onClick={() => {
                        tag.reset();
                        untag.mutate([tagKey]);
                      }}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {untag.error && <ProblemBanner error={untag.error} />}
      {canTag && (
        <form className="inline-form" onSubmit={submit} aria-label="Add a tag">
          <TextField
            label="Tag key"
            hint="Up to 128 letters, digits, spaces and _ . : / = + - @; not starting with aws:"
            value={key}
            required
            maxLength={128}
            onChange={(event) => setKey(event.target.value)}
            errors={errorsFor(tag.error, 'tags')}
          />
          <TextField
            label="Tag value"
            value={value}
            maxLength={256}
            onChange={(event) => setValue(event.target.value)}
          />
          <button type="submit" className="button-primary" disabled={tag.isPending || key.trim() === ''}>
            Add tag
          </button>
          {tag.error && errorsFor(tag.error, 'tags').length === 0 && <ProblemBanner error={tag.error} />}
        </form>
      )}
    </section>
  );
}
