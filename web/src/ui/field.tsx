import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { ApiProblem } from '../api/problem.js';

/** The API's field errors whose path ends with this field's name (body.document.Statement.0 -> document.Statement.0). */
export function errorsFor(error: unknown, name: string): string[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.errors
    .filter((e) => e.path === name || e.path.endsWith(`.${name}`) || e.path.startsWith(`body.${name}`))
    .map((e) => e.message);
}

export function Field({
  label,
  hint,
  errors = [],
  children,
}: {
  label: string;
  hint?: ReactNode;
  errors?: string[];
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-errors`;
  const describedBy = [hint ? hintId : '', errors.length ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={errors.length ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(errors.length ? { 'aria-invalid': true } : {}),
      })}
      {errors.length > 0 && (
        <ul id={errorId} className="field-errors">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function TextField({
  label,
  hint,
  errors,
  ...input
}: { label: string; hint?: ReactNode; errors?: string[] } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} hint={hint} {...(errors ? { errors } : {})}>
      {(props) => <input {...input} {...props} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  errors,
  children,
  ...select
}: { label: string; hint?: ReactNode; errors?: string[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} {...(errors ? { errors } : {})}>
      {(props) => (
        <select {...select} {...props}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** A select's options: `none` first (the empty value, e.g. "Choose"), then one option a choice. */
export function Choices({ none, options }: { none?: string; options: Array<{ value: string; label: string }> }) {
  return (
    <>
      {none !== undefined && <option value="">{none}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </>
  );
}
