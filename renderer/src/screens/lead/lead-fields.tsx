// Form fields the lead's forms need beyond ui/field.tsx: a multi-line field and a number field, framed the same way.
import { FieldFrame as FieldShell, type FieldFrameProps as ShellProps } from '../../ui/field.tsx';

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
