import { useState } from 'react';
import { TextField } from '../ui/field.js';

/**
 * Choosing a new password (invitation, reset, first sign-in): the password, its repetition, and the one
 * rule the console checks before asking the API, that the two agree. The API checks the rest.
 */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  /** Whether the two agree; when they do not, the repetition says so. */
  const agree = () => {
    const same = password === again;
    setMismatch(!same);
    return same;
  };
  return { password, setPassword, again, setAgain, mismatch, agree };
}

export function NewPasswordFields({
  state,
  errors,
  againName = 'again',
  autoFocus = false,
}: {
  state: ReturnType<typeof useNewPassword>;
  /** The API's errors for `newPassword`. */
  errors: string[];
  againName?: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        value={state.password}
        onChange={(event) => state.setPassword(event.target.value)}
        errors={errors}
      />
      <TextField
        label="Repeat the new password"
        name={againName}
        type="password"
        autoComplete="new-password"
        required
        value={state.again}
        onChange={(event) => state.setAgain(event.target.value)}
        errors={state.mismatch ? ['The two passwords differ.'] : []}
      />
    </>
  );
}
