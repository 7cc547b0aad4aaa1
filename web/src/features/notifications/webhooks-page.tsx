import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  useCreateWebhook,
  useDeleteWebhook,
  useDeliveries,
  useUpdateWebhook,
  useWebhooks,
} from '../../api/notifications.js';
import { errorsFor, TextField } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { NotificationsTabs } from './notifications-tabs.js';

export function WebhooksPage() {
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const [params, setParams] = useSearchParams();
  const selected = params.get('webhook') ?? undefined;
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  return (
    <Page title="Webhooks">
      <NotificationsTabs />
      <section className="panel" aria-labelledby="new-webhook">
        <h2 id="new-webhook">Register a webhook</h2>
        <form
          className="filter-row"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({ url, description });
          }}
        >
          <TextField
            label="HTTPS URL"
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            errors={errorsFor(create.error, 'url')}
          />
          <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
          <button type="submit" className="button-primary" disabled={create.isPending}>
            Register
          </button>
        </form>
        {create.error && errorsFor(create.error, 'url').length === 0 && <ProblemBanner error={create.error} />}
        {create.data && (
          <div className="notice" role="status">
            <p>
              Registered. Its signing secret is shown only now: <code>{create.data.secret}</code>
            </p>
          </div>
        )}
      </section>
      {(update.error || remove.error) && <ProblemBanner error={update.error ?? remove.error} />}
      <Await query={webhooks} what="your webhooks">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>You have no webhooks.</Empty>
          ) : (
            <DataTable caption="Your webhooks" columns={['URL', 'State']} actions testId="webhooks-table">
              {data.items.map((w) => (
                <tr key={w.webhookId}>
                  <th scope="row">
                    <code>{w.url}</code>
                    <div className="muted">{w.description}</div>
                  </th>
                  <td>
                    {w.enabled ? (
                      <span className="badge badge-ok">enabled</span>
                    ) : (
                      <span className="badge badge-warn">disabled</span>
                    )}
                    {w.disabledReason && <div className="muted">{w.disabledReason}</div>}
                  </td>
                  <td>
                    <button type="button" className="button-link" onClick={() => setParams({ webhook: w.webhookId })}>
                      Delivery log
                    </button>
                    <button
                      type="button"
                      className="button-link"
                      onClick={() => update.mutate({ id: w.webhookId, enabled: !w.enabled })}
                    >
                      {w.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" className="button-link" onClick={() => remove.mutate(w.webhookId)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
      {selected && <Deliveries webhookId={selected} />}
    </Page>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useDeliveries(webhookId);
  return (
    <section className="panel" aria-labelledby="deliveries">
      <h2 id="deliveries">Delivery log</h2>
      <Await query={deliveries} what="the deliveries">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>Nothing was delivered to this webhook yet.</Empty>
          ) : (
            <DataTable
              caption="Deliveries, newest first"
              columns={['Event', 'Status', 'Attempts', 'Updated']}
              testId="deliveries-table"
            >
              {page.items.map((d) => (
                <tr key={d.deliveryId}>
                  <th scope="row">
                    {d.kind} <span className="muted">#{d.seq}</span>
                  </th>
                  <td>{d.status}</td>
                  <td>{d.attempts.length}</td>
                  <td>{formatDateTime(d.updatedAt)}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </section>
  );
}
