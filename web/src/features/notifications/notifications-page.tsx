import { Link } from 'react-router';
import { useFeed, useMarkRead } from '../../api/notifications.js';
import { CursorPager, useCursor } from '../../ui/cursor-pager.js';
import { formatDateTime } from '../../ui/format.js';
import { Page } from '../../ui/page.js';
import { Await, Empty } from '../../ui/states.js';
import { NotificationsTabs } from './notifications-tabs.js';

export function NotificationsPage() {
  const cursor = useCursor();
  const feed = useFeed(cursor);
  const markRead = useMarkRead();
  return (
    <Page title="Notifications">
      <NotificationsTabs />
      <Await query={feed} what="your notifications">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              Nothing yet. <Link to="/notifications/subscriptions">Subscribe</Link> to what you want to hear about.
            </Empty>
          ) : (
            <>
              <p className="muted" role="status">
                {page.unreadCount} unread
              </p>
              <ul className="feed" data-testid="feed">
                {page.items.map((item) => (
                  <li key={item.notificationId} className={item.read ? 'feed-item' : 'feed-item unread'}>
                    <div>
                      <strong>{item.title}</strong>
                      <div className="muted">
                        {formatDateTime(item.time)} · {item.actor.id}
                        {item.accountId ? ` · account ${item.accountId}` : ''}
                      </div>
                    </div>
                    {!item.read && (
                      <button
                        type="button"
                        className="button-link"
                        onClick={() => markRead.mutate(item.notificationId)}
                      >
                        Mark read<span className="visually-hidden">: {item.title}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              <CursorPager nextCursor={page.nextCursor} label="Notifications" />
            </>
          )
        }
      </Await>
    </Page>
  );
}
