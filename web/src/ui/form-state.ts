import { useState } from 'react';
import { errorsFor } from './field.js';

/**
 * A form's values, and what each of its fields takes: the value, the change handler, and the API's
 * field errors for it (`errorsFor`), so a field is bound to its name once: `<TextField {...field('name', error)} />`.
 */
type Widened<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends boolean ? boolean : T[K] };

export function useFormState<T extends Record<string, string | boolean>>(initial: T) {
  const [form, setForm] = useState<Widened<T>>(initial as Widened<T>);
  const set = (name: keyof T & string) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [name]: event.target.value }));
  const field = (name: keyof T & string, error?: unknown) => ({
    value: String(form[name]),
    onChange: set(name),
    errors: errorsFor(error, name),
  });
  return { form, setForm, set, field };
}
