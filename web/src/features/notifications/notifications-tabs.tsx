import { NavLink } from 'react-router';

export function NotificationsTabs() {
  return (
    <nav className="tabs" aria-label="Notifications">
      <ul>
        <li>
          <NavLink to="/notifications" end>
            Feed
          </NavLink>
        </li>
        <li>
          <NavLink to="/notifications/subscriptions">Subscriptions</NavLink>
        </li>
        <li>
          <NavLink to="/notifications/webhooks">Webhooks</NavLink>
        </li>
      </ul>
    </nav>
  );
}
