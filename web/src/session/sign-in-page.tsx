import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../api/problem.js';
import { useSignIn } from '../api/session.js';
import { errorsFor, TextField } from '../ui/field.js';
import { Page } from '../ui/page.js';
import { ProblemBanner } from '../ui/states.js';
import { NewPasswordFields, useNewPassword } from './new-password.js';
import { safeNext } from './require-session.js';

type Step = 'password' | 'totp' | 'new-password';

/** The organization is remembered on this device: people sign in to the same one every time. */
const organizationKey = 'evidence-portal.organization';
const rememberedOrganization = () => {
  try {
    return window.localStorage.getItem(organizationKey) ?? '';
  } catch {
    return '';
  }
};

/** Sign in: password, then the TOTP code when the user has MFA, then a new password when one is due. */
export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [step, setStep] = useState<Step>('password');
  const [organization, setOrganization] = useState(() => params.get('organization') ?? rememberedOrganization());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const newPassword = useNewPassword();
  const notice = params.get('notice');

  const submit = async () => {
    if (step === 'new-password' && !newPassword.agree()) return;
    try {
      await signIn.mutateAsync({
        organization: organization.trim(),
        email: email.trim(),
        password,
        ...(totp.trim() ? { totp: totp.trim() } : {}),
        ...(step === 'new-password' ? { newPassword: newPassword.password } : {}),
      });
      try {
        window.localStorage.setItem(organizationKey, organization.trim());
      } catch {
        /* private mode: nothing remembered */
      }
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'totp_required') {
        signIn.reset();
        setStep('totp');
      } else if (error instanceof ApiProblem && error.code === 'password_change_required') {
        signIn.reset();
        setStep('new-password');
      }
    }
  };

  const shownError =
    signIn.error instanceof ApiProblem && signIn.error.code === 'validation_failed' ? undefined : signIn.error;
  return (
    <div className="auth-layout">
      <Page title={step === 'new-password' ? 'Choose a new password' : 'Sign in'}>
        <p className="muted">Compliance reports, agreements and the audit trail of your organization.</p>
        {notice === 'password-set' && (
          <p className="notice" role="status">
            Your password is set. Sign in with it.
          </p>
        )}
        {notice === 'signed-out' && (
          <p className="notice" role="status">
            You are signed out.
          </p>
        )}
        <form
          className="auth-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <TextField
            label="Organization ID"
            hint="Your organization's id, such as o-examplecorp (your administrator or your invitation has it)."
            name="organization"
            autoComplete="organization"
            required
            spellCheck={false}
            value={organization}
            readOnly={step !== 'password'}
            onChange={(event) => setOrganization(event.target.value)}
          />
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            readOnly={step !== 'password'}
            onChange={(event) => setEmail(event.target.value)}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            readOnly={step !== 'password'}
            onChange={(event) => setPassword(event.target.value)}
          />
          {step === 'totp' && (
            <TextField
              label="Authenticator code"
              hint="Your account has MFA: enter the 6-digit code from your authenticator app, or a recovery code."
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus
              value={totp}
              onChange={(event) => setTotp(event.target.value)}
            />
          )}
          {step === 'new-password' && (
            <>
              <p className="notice" role="status">
                This is your first sign-in (or your password was reset): choose your own password. At least 12
                characters, not a common password, not your email.
              </p>
              <NewPasswordFields
                state={newPassword}
                errors={errorsFor(signIn.error, 'newPassword')}
                againName="confirmPassword"
                autoFocus
              />
            </>
          )}
          {shownError !== null && shownError !== undefined && <ProblemBanner error={shownError} />}
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={signIn.isPending}>
              {signIn.isPending ? 'Signing in…' : step === 'new-password' ? 'Set password and sign in' : 'Sign in'}
            </button>
            {step !== 'password' && (
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setStep('password');
                  setTotp('');
                  signIn.reset();
                }}
              >
                Start over
              </button>
            )}
          </div>
        </form>
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </Page>
    </div>
  );
}
