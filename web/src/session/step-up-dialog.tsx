import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { onStepUpNeeded } from '../api/client.js';
import { type ApiProblem, humanMessage } from '../api/problem.js';
import { meKey, stepUp, useMe } from '../api/session.js';
import { Dialog, DialogActions } from '../ui/dialog.js';
import { TextField } from '../ui/field.js';

interface Pending {
  problem: ApiProblem;
  resolve: () => void;
  reject: (reason: Error) => void;
}

/**
 * The MFA step-up: when the API answers 403 `mfa_required`, the request waits here for a TOTP code;
 * once the session has MFA (POST /api/session/mfa), the same request is sent again.
 */
export function StepUpDialog() {
  const [pending, setPending] = useState<Pending | undefined>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const me = useMe();
  const client = useQueryClient();
  const pendingRef = useRef<Pending | undefined>(undefined);

  useEffect(() => {
    onStepUpNeeded(
      (problem) =>
        new Promise<void>((resolve, reject) => {
          const next = { problem, resolve, reject };
          pendingRef.current = next;
          setCode('');
          setError(undefined);
          setPending(next);
        }),
    );
    return () => onStepUpNeeded(undefined);
  }, []);

  const close = (outcome: 'done' | 'cancelled') => {
    const current = pendingRef.current;
    pendingRef.current = undefined;
    setPending(undefined);
    if (outcome === 'done') current?.resolve();
    else current?.reject(current.problem);
  };

  const hasDevice = me.data?.user.mfaEnabled === true;
  return (
    <Dialog title="Confirm with your MFA code" open={pending !== undefined} onClose={() => close('cancelled')}>
      <p>{pending?.problem.message}</p>
      {hasDevice ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            try {
              await stepUp(code.trim());
              await client.invalidateQueries({ queryKey: meKey });
              close('done');
            } catch (failure) {
              setError(failure);
            } finally {
              setBusy(false);
            }
          }}
        >
          <TextField
            label="Authenticator code"
            hint="The 6-digit code your authenticator app shows now, or a recovery code."
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            errors={error ? [humanMessage(error).title] : []}
          />
          <DialogActions onCancel={() => close('cancelled')}>
            <button type="submit" className="button-primary" disabled={busy || !code.trim()}>
              {busy ? 'Confirming…' : 'Confirm and continue'}
            </button>
          </DialogActions>
        </form>
      ) : (
        <>
          <p>
            You have no MFA device yet. <Link to="/security">Set one up</Link> (it takes a minute), then try again.
          </p>
          <div className="form-actions">
            <button type="button" className="button-secondary" onClick={() => close('cancelled')}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
