// Form fields the lead's forms need beyond ui/field.tsx: a multi-line field and a number field, framed the same way.
import type { ReactNode } from 'react';

type ShellProps = {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly errors?: readonly string[];
  readonly optional?: boolean;
  readonly children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
};

function FieldShell({ id, label, hint, errors, optional, children }: ShellProps) {
  const invalid = (errors?.length ?? 0) > 0;
  const describedBy = [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field" data-invalid={invalid || undefined}>
      <div className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {optional && (
          <span className="field-optional" aria-hidden="true">
            Optional
          </span>
        )}
      </div>
      {children(describedBy, invalid)}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {invalid && (
        <ul className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

type InputProps = Omit<ShellProps, 'children'> & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
  readonly monospace?: boolean;
};

export function TextAreaField({ value, onChange, placeholder, monospace, rows = 3, ...shell }: InputProps & { readonly rows?: number }) {
  return (
    <FieldShell {...shell}>
      {(describedBy, invalid) => (
        <textarea
          id={shell.id}
          name={shell.id}
          className={monospace ? 'input textarea input-mono' : 'input textarea'}
          rows={rows}
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={!shell.optional || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldShell>
  );
}

export function NumberField({ value, onChange, placeholder, ...shell }: InputProps) {
  return (
    <FieldShell {...shell}>
      {(describedBy, invalid) => (
        <input
          id={shell.id}
          name={shell.id}
          className="input input-num"
          type="text"
          inputMode="decimal"
          value={value}
          placeholder={placeholder}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={!shell.optional || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldShell>
  );
}
