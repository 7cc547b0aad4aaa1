import { useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useRequestPasswordReset, useSetPasswordFromLink } from '../api/session.js';
import { errorsFor, TextField } from '../ui/field.js';
import { Page } from '../ui/page.js';
import { ProblemBanner } from '../ui/states.js';
import { NewPasswordFields, useNewPassword } from './new-password.js';

/**
 * The links the API emails: `/invitation#token=…` (first password) and `/reset-password#token=…`. The token
 * is in the fragment, so it never reaches a server log or a Referer header.
 */
export function SetPasswordPage({ purpose }: { purpose: 'invitation' | 'reset' }) {
  const location = useLocation();
  const navigate = useNavigate();
  const fragment = useMemo(() => new URLSearchParams(location.hash.replace(/^#/, '')), [location.hash]);
  const token = fragment.get('token') ?? '';
  const organization = fragment.get('organization') ?? '';
  const redeem = useSetPasswordFromLink();
  const newPassword = useNewPassword();
  const title = purpose === 'invitation' ? 'Accept your invitation' : 'Reset your password';
  if (!token) {
    return (
      <div className="auth-layout">
        <Page title={title}>
          <p className="problem" role="alert">
            This link is incomplete: it carries no token. Open the link from your email again, or ask for a new one.
          </p>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link> · <Link to="/">Sign in</Link>
          </p>
        </Page>
      </div>
    );
  }
  return (
    <div className="auth-layout">
      <Page title={title}>
        <p>
          {purpose === 'invitation'
            ? 'Welcome. Choose the password you will sign in with.'
            : 'Choose a new password. The link works once and for one hour.'}{' '}
          At least 12 characters; not a common password; not built from your email.
        </p>
        <form
          className="auth-form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!newPassword.agree()) return;
            try {
              await redeem.mutateAsync({ token, newPassword: newPassword.password });
              const query = new URLSearchParams({ notice: 'password-set', ...(organization ? { organization } : {}) });
              navigate(`/?${query.toString()}`, { replace: true });
            } catch {
              /* shown below */
            }
          }}
        >
          <NewPasswordFields state={newPassword} errors={errorsFor(redeem.error, 'newPassword')} />
          {redeem.error && errorsFor(redeem.error, 'newPassword').length === 0 && (
            <ProblemBanner error={redeem.error} />
          )}
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={redeem.isPending}>
              {redeem.isPending ? 'Saving…' : 'Set password'}
            </button>
          </div>
        </form>
      </Page>
    </div>
  );
}

export function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const [organization, setOrganization] = useState('');
  const [email, setEmail] = useState('');
  return (
    <div className="auth-layout">
      <Page title="Forgot your password?">
        {request.isSuccess ? (
          <p className="notice" role="status">
            If {email} belongs to an active user, a reset link is on its way. It works for one hour.
          </p>
        ) : (
          <form
            className="auth-form"
            onSubmit={(event) => {
              event.preventDefault();
              request.mutate({ organization: organization.trim(), email: email.trim() });
            }}
          >
            <TextField
              label="Organization ID"
              hint="Your organization's id, such as o-examplecorp."
              name="organization"
              autoComplete="organization"
              required
              spellCheck={false}
              value={organization}
              onChange={(event) => setOrganization(event.target.value)}
            />
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            {request.error && <ProblemBanner error={request.error} />}
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={request.isPending}>
                Send reset link
              </button>
            </div>
          </form>
        )}
        <p>
          <Link to="/">Back to sign in</Link>
        </p>
      </Page>
    </div>
  );
}
