import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useBeginMfaEnrolment, useChangePassword, useConfirmMfaEnrolment, useMe } from '../api/session.js';
import { errorsFor, TextField } from '../ui/field.js';
import { Page } from '../ui/page.js';
import { Loading, ProblemBanner } from '../ui/states.js';
import { AccessKeysPanel } from './access-keys-panel.js';

/** MFA enrolment (QR code, then a code to confirm, then the recovery codes once) and password change. */
export function SecurityPage() {
  const me = useMe();
  const [params] = useSearchParams();
  // Shown once, right after enrolment, even though who-am-I then says MFA is on.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>();
  if (!me.data) return <Loading what="your account" />;
  const required = params.get('required') === '1' && !me.data.user.mfaEnabled;
  return (
    <Page title="Sign-in and security">
      {required && (
        <p className="notice" role="status">
          Your organization requires MFA for your account: set it up to continue.
        </p>
      )}
      <section className="panel" aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">Multi-factor authentication</h2>
        {recoveryCodes ? (
          <RecoveryCodes codes={recoveryCodes} />
        ) : me.data.user.mfaEnabled ? (
          <MfaEnabled />
        ) : (
          <MfaEnrolment onEnabled={setRecoveryCodes} />
        )}
      </section>
      {!required && (
        <section className="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <ChangePassword />
        </section>
      )}
      {!required && (
        <section className="panel" aria-labelledby="access-keys-heading">
          <h2 id="access-keys-heading">Access keys</h2>
          <AccessKeysPanel />
        </section>
      )}
    </Page>
  );
}

function MfaEnabled() {
  const me = useMe();
  return (
    <p>
      <span className="badge badge-ok">On</span> Your sign-ins ask for a code from your authenticator app.
      {me.data?.mfaPresent ? ' This session passed MFA.' : ' This session has not passed MFA yet.'}
    </p>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div>
      <p className="notice" role="status">
        MFA is on. Keep these recovery codes somewhere safe: each works once in place of a code, and they are shown only
        now.
      </p>
      <ol className="recovery-codes" aria-label="Recovery codes">
        {codes.map((recovery) => (
          <li key={recovery}>
            <code>{recovery}</code>
          </li>
        ))}
      </ol>
      <p>
        <Link to="/reports">Continue to the reports</Link>
      </p>
    </div>
  );
}

function MfaEnrolment({ onEnabled }: { onEnabled: (recoveryCodes: string[]) => void }) {
  const begin = useBeginMfaEnrolment();
  const confirm = useConfirmMfaEnrolment();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  if (!begin.data) {
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          begin.mutate(password);
        }}
      >
        <p>
          <span className="badge badge-warn">Off</span> Protect your account with an authenticator app (any TOTP app).
          Accepting or terminating agreements needs it.
        </p>
        <TextField
          label="Your current password"
          hint="Setting up MFA asks for your password first, so nobody else can bind a device to your account."
          name="mfaPassword"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={errorsFor(begin.error, 'password')}
        />
        {begin.error && errorsFor(begin.error, 'password').length === 0 && <ProblemBanner error={begin.error} />}
        <button type="submit" className="button-primary" disabled={begin.isPending}>
          Set up MFA
        </button>
      </form>
    );
  }
  return (
    <div className="mfa-setup">
      <ol className="steps">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          <figure className="qr">
            <QRCodeSVG value={begin.data.otpauthUri} size={192} marginSize={2} title="MFA setup QR code" />
          </figure>
          <p>
            Cannot scan? Enter this key by hand: <code data-testid="mfa-secret">{begin.data.secret}</code>
          </p>
        </li>
        <li>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              confirm.mutate(code.trim(), { onSuccess: (result) => onEnabled(result.recoveryCodes) });
            }}
          >
            <TextField
              label="Code from the app"
              hint="Enter the 6-digit code the app now shows for evidence-portal."
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={code}
              onChange={(event) => setCode(event.target.value)}
              errors={errorsFor(confirm.error, 'totp')}
            />
            {confirm.error && errorsFor(confirm.error, 'totp').length === 0 && <ProblemBanner error={confirm.error} />}
            <button type="submit" className="button-primary" disabled={confirm.isPending}>
              Turn on MFA
            </button>
          </form>
        </li>
      </ol>
    </div>
  );
}

function ChangePassword() {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ currentPassword: current, newPassword: next });
      }}
    >
      {change.isSuccess && (
        <p className="notice" role="status">
          Your password is changed.
        </p>
      )}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        errors={errorsFor(change.error, 'currentPassword')}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        value={next}
        onChange={(event) => setNext(event.target.value)}
        errors={errorsFor(change.error, 'newPassword')}
      />
      <button type="submit" className="button-secondary" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
