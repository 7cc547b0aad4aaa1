import { Link } from 'react-router';
import { Page } from './page.js';

/** A clear refusal page: what was asked, why not, and where to go instead. Never a crash. */
export function NotAllowed({ what, detail }: { what: string; detail?: string }) {
  return (
    <Page title="Not allowed">
      <div className="not-allowed" data-testid="not-allowed">
        <p className="lead">Your access does not include {what}.</p>
        {detail && <p className="muted">The portal said: {detail}</p>}
        <p>
          If you need it, ask an administrator of your organization to grant it (they can check with the policy
          simulator why you were refused). You can go back to <Link to="/reports">the reports</Link>.
        </p>
      </div>
    </Page>
  );
}
