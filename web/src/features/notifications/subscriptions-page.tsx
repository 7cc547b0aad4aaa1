import { useState } from 'react';
import {
  useCreateSubscription,
  useDeleteSubscription,
  useSubscriptions,
  useWebhooks,
} from '../../api/notifications.js';
import { Choices, SelectField, TextField } from '../../ui/field.js';
import { Page } from '../../ui/page.js';
import { Await, Empty, ProblemBanner } from '../../ui/states.js';
import { DataTable } from '../../ui/table.js';
import { kindLabels, type NotificationKind, notificationKinds } from './notification-kinds.js';
import { NotificationsTabs } from './notifications-tabs.js';

export function SubscriptionsPage() {
  const subscriptions = useSubscriptions();
  const webhooks = useWebhooks();
  const create = useCreateSubscription();
  const remove = useDeleteSubscription();
  const [kinds, setKinds] = useState<NotificationKind[]>(['report.published']);
  const [category, setCategory] = useState('');
  const [series, setSeries] = useState('');
  const [channel, setChannel] = useState<'feed' | 'webhook' | 'email'>('feed');
  const [webhookId, setWebhookId] = useState('');
  return (
    <Page title="Subscriptions">
      <NotificationsTabs />
      <section className="panel" aria-labelledby="new-subscription">
        <h2 id="new-subscription">Subscribe</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({
              kinds,
              channels: [channel],
              filters: {
                ...(category.trim() ? { reportCategory: category.trim() } : {}),
                ...(series.trim() ? { reportSeries: series.trim() } : {}),
              },
              ...(channel === 'webhook' && webhookId ? { webhookId } : {}),
            });
          }}
        >
          <fieldset>
            <legend>Tell me when</legend>
            {notificationKinds.map((kind) => (
              <label key={kind} className="checkbox">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
                />
                {kindLabels[kind]}
              </label>
            ))}
          </fieldset>
          <div className="filter-row">
            <TextField
              label="Report category (optional)"
              hint="e.g. SOC"
              value={category}
              onChange={(e) => setCategory(e.target.value)}
            />
            <TextField
              label="Report series (optional)"
              hint="e.g. SOC 2 Type II"
              value={series}
              onChange={(e) => setSeries(e.target.value)}
            />
            <SelectField
              label="Deliver to"
              value={channel}
              onChange={(e) => setChannel(e.target.value as typeof channel)}
            >
              <option value="feed">my feed</option>
              <option value="email">my email</option>
              <option value="webhook">a webhook</option>
            </SelectField>
            {channel === 'webhook' && (
              <SelectField label="Webhook" required value={webhookId} onChange={(e) => setWebhookId(e.target.value)}>
                <Choices
                  none="Choose"
                  options={(webhooks.data?.items ?? []).map((w) => ({ value: w.webhookId, label: w.url }))}
                />
              </SelectField>
            )}
          </div>
          {create.error && <ProblemBanner error={create.error} />}
          <button type="submit" className="button-primary" disabled={create.isPending || kinds.length === 0}>
            Subscribe
          </button>
        </form>
      </section>
      {remove.error && <ProblemBanner error={remove.error} />}
      <Await query={subscriptions} what="your subscriptions">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>You have no subscriptions.</Empty>
          ) : (
            <DataTable
              caption="Your subscriptions"
              columns={['When', 'Only for', 'Delivered to']}
              actions
              testId="subscriptions-table"
            >
              {data.items.map((s) => (
                <tr key={s.subscriptionId}>
                  <th scope="row">{s.kinds.map((k) => kindLabels[k]).join('; ')}</th>
                  <td>
                    {[s.filters.reportCategory, s.filters.reportSeries, s.filters.accountId]
                      .filter(Boolean)
                      .join(', ') || 'everything'}
                  </td>
                  <td>{s.channels.join(', ')}</td>
                  <td>
                    <button type="button" className="button-link" onClick={() => remove.mutate(s.subscriptionId)}>
                      Unsubscribe
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Await>
    </Page>
  );
}
