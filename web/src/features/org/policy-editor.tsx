import { useId, useMemo, useRef } from 'react';
import { jsonValueLines, lineOfPath, syntaxErrorLine } from './json-locations.js';

export interface LocatedError {
  path: string;
  message: string;
}

/**
 * A JSON editor for policy documents: a plain textarea (keyboard and screen readers work as everywhere),
 * with a numbered listing beneath where each error appears under the line its path points at. Syntax
 * errors are found here; the policy rules are the API's (POST /api/org/policies answers them by path).
 */
export function PolicyEditor({
  value,
  onChange,
  errors,
  label = 'Policy document (JSON)',
}: {
  value: string;
  onChange: (value: string) => void;
  errors: LocatedError[];
  label?: string;
}) {
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const syntax = useMemo(() => {
    try {
      JSON.parse(value);
      return undefined;
    } catch (error) {
      return { line: syntaxErrorLine(value, error), message: (error as Error).message };
    }
  }, [value]);
  const lines = useMemo(() => jsonValueLines(value), [value]);
  const located = errors.map((error) => ({ ...error, line: lineOfPath(lines, error.path) }));
  const byLine = new Map<number, typeof located>();
  for (const error of located) {
    const line = error.line ?? 1;
    byLine.set(line, [...(byLine.get(line) ?? []), error]);
  }
  const goTo = (line: number | undefined) => {
    const element = textarea.current;
    if (!element || line === undefined) return;
    const offset =
      value
        .split('\n')
        .slice(0, line - 1)
        .join('\n').length + (line > 1 ? 1 : 0);
    element.focus();
    element.setSelectionRange(offset, offset);
  };
  const problems = (syntax ? 1 : 0) + located.length;
  return (
    <div className="policy-editor">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={textarea}
        className="code"
        spellCheck={false}
        rows={Math.min(24, Math.max(10, value.split('\n').length + 1))}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problems > 0}
        aria-describedby={problems > 0 ? `${id}-problems` : undefined}
      />
      {problems > 0 && (
        <div id={`${id}-problems`} className="editor-problems" role="alert" data-testid="policy-errors">
          <p>
            <strong>
              {problems} {problems === 1 ? 'problem' : 'problems'}
            </strong>{' '}
            — shown at the lines they are about:
          </p>
          <ol className="annotated" aria-label="Document with problems">
            {value.split('\n').map((text, index) => {
              const line = index + 1;
              const here = byLine.get(line) ?? [];
              const syntaxHere = syntax && (syntax.line ?? 1) === line;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
                <li key={index} className={here.length || syntaxHere ? 'annotated-line has-error' : 'annotated-line'}>
                  <span className="line-number" aria-hidden="true">
                    {line}
                  </span>
                  <code>{text || ' '}</code>
                  {syntaxHere && (
                    <p className="line-error" data-path="(syntax)">
                      Not valid JSON: {syntax.message}
                    </p>
                  )}
                  {here.map((error) => (
                    <p className="line-error" key={`${error.path}:${error.message}`} data-path={error.path}>
                      <button type="button" className="button-link" onClick={() => goTo(error.line)}>
                        <code>{error.path}</code>
                      </button>
                      : {error.message}
                    </p>
                  ))}
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </div>
  );
}
