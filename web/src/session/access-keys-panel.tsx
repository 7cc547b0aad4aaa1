import { useState } from 'react';
import { useAccessKeys, useCreateAccessKey, useDeleteAccessKey, useSetAccessKeyStatus } from '../api/access-keys.js';
import { formatDateTime } from '../ui/format.js';
import { Empty, LoadFailed, Loading, ProblemBanner } from '../ui/states.js';

/** The Artifact API's endpoint on this portal (same host): boto3's `endpoint_url`. */
const artifactEndpoint = () => `${window.location.origin}/artifact`;

function boto3Snippet(accessKeyId: string, secret: string): string {
  return [
    'import boto3',
    '',
    'artifact = boto3.client(',
    '    "artifact",',
    `    endpoint_url="${artifactEndpoint()}",`,
    '    region_name="us-east-1",',
    `    aws_access_key_id="${accessKeyId}",`,
    `    aws_secret_access_key="${secret}",`,
    ')',
    'for report in artifact.list_reports()["reports"]:',
    '    print(report["id"], report["name"])',
  ].join('\n');
}

/** The new key's secret, shown once, with copy buttons and a boto3 snippet. */
function NewSecret({ accessKeyId, secret, onDone }: { accessKeyId: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async (what: string, text: string) => {
    await navigator.clipboard.writeText(text);
    setCopied(what);
  };
  const snippet = boto3Snippet(accessKeyId, secret);
  return (
    <div className="notice" role="status" aria-labelledby="new-key-heading">
      <h3 id="new-key-heading">Your new access key</h3>
      <p>This is the only time the secret is shown. Copy it now; the portal keeps it only encrypted.</p>
      <dl>
        <dt>Access key id</dt>
        <dd>
          <code data-testid="new-access-key-id">{accessKeyId}</code>
        </dd>
        <dt>Secret access key</dt>
        <dd>
          <code data-testid="new-access-key-secret">{secret}</code>{' '}
          <button type="button" onClick={() => void copy('secret', secret)}>
            Copy secret
          </button>
        </dd>
      </dl>
      <p>Use it with boto3 (or any AWS SDK or the AWS CLI) against this portal:</p>
      <pre data-testid="boto3-snippet">
        <code>{snippet}</code>
      </pre>
      <p>
        <button type="button" onClick={() => void copy('snippet', snippet)}>
          Copy boto3 example
        </button>{' '}
        {copied && <span role="status">Copied the {copied}.</span>}
      </p>
      <button type="button" className="button-primary" onClick={onDone}>
        I have saved the secret
      </button>
    </div>
  );
}

/** Create, list, deactivate, reactivate and delete your access keys (at most two). */
export function AccessKeysPanel() {
  const keys = useAccessKeys();
  const create = useCreateAccessKey();
  const setStatus = useSetAccessKeyStatus();
  const remove = useDeleteAccessKey();
  const [shown, setShown] = useState<{ accessKeyId: string; secret: string } | undefined>();
  if (keys.isPending) return <Loading what="your access keys" />;
  if (keys.error) return <LoadFailed error={keys.error} what="your access keys" onRetry={() => keys.refetch()} />;
  const items = keys.data.items;
  return (
    <div>
      <p>
        Access keys sign requests to the AWS Artifact-compatible API at <code>{artifactEndpoint()}</code> (AWS Signature
        Version 4), so scripts and GRC tools that use Artifact work against this portal. You may have two.
      </p>
      {shown && <NewSecret accessKeyId={shown.accessKeyId} secret={shown.secret} onDone={() => setShown(undefined)} />}
      {(create.error || setStatus.error || remove.error) && (
        <ProblemBanner error={create.error ?? setStatus.error ?? remove.error} />
      )}
      {items.length === 0 ? (
        <Empty>You have no access keys.</Empty>
      ) : (
        <table>
          <caption>Your access keys</caption>
          <thead>
            <tr>
              <th scope="col">Access key id</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((key) => (
              <tr key={key.accessKeyId}>
                <td>
                  <code>{key.accessKeyId}</code>
                </td>
                <td>
                  <span className={key.status === 'Active' ? 'badge badge-ok' : 'badge badge-warn'}>{key.status}</span>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.lastUsedAt ? `${formatDateTime(key.lastUsedAt)} (${key.lastUsedService ?? ''})` : 'Never'}</td>
                <td>
                  <button
                    type="button"
                    disabled={setStatus.isPending}
                    onClick={() =>
                      setStatus.mutate({
                        accessKeyId: key.accessKeyId,
                        status: key.status === 'Active' ? 'Inactive' : 'Active',
                      })
                    }
                  >
                    {key.status === 'Active' ? 'Deactivate' : 'Activate'}{' '}
                    <span className="visually-hidden">{key.accessKeyId}</span>
                  </button>{' '}
                  <button
                    type="button"
                    disabled={remove.isPending || key.status === 'Active'}
                    title={key.status === 'Active' ? 'Deactivate the key first' : undefined}
                    onClick={() => remove.mutate(key.accessKeyId)}
                  >
                    Delete <span className="visually-hidden">{key.accessKeyId}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="button-primary"
        disabled={create.isPending || items.length >= 2}
        onClick={() =>
          create.mutate(undefined, {
            onSuccess: (created) => setShown({ accessKeyId: created.accessKeyId, secret: created.secretAccessKey }),
          })
        }
      >
        Create access key
      </button>
      {items.length >= 2 && <p>You have two keys: delete one to create another.</p>}
    </div>
  );
}
