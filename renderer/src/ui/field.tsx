// Form fields with their label, hint and errors wired together for assistive technology.
import type { ReactNode } from 'react';

export type FieldFrameProps = {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly errors?: readonly string[];
  readonly optional?: boolean;
  readonly children: (describedBy: string | undefined, invalid: boolean, required: boolean) => ReactNode;
};

export function FieldFrame({ id, label, hint, errors, optional, children }: FieldFrameProps) {
  const invalid = (errors?.length ?? 0) > 0;
  const describedBy = [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field" data-invalid={invalid || undefined}>
      <div className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {/* Outside the label so the field's name stays its label; assistive tech hears aria-required instead. */}
        {optional && (
          <span className="field-optional" aria-hidden="true">
            Optional
          </span>
        )}
      </div>
      {children(describedBy, invalid, !optional)}
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

type TextFieldProps = Omit<FieldFrameProps, 'children'> & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string;
  readonly monospace?: boolean;
  readonly autoFocus?: boolean;
};

export function TextField({ value, onChange, placeholder, monospace, autoFocus, ...frame }: TextFieldProps) {
  return (
    <FieldFrame {...frame}>
      {(describedBy, invalid, required) => (
        <input
          id={frame.id}
          name={frame.id}
          className={monospace ? 'input input-mono' : 'input'}
          type="text"
          value={value}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          autoFocus={autoFocus}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={required || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

type SelectFieldProps = Omit<FieldFrameProps, 'children'> & {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly options: ReadonlyArray<{ readonly value: string; readonly label: string }>;
};

export function SelectField({ value, onChange, options, ...frame }: SelectFieldProps) {
  return (
    <FieldFrame {...frame}>
      {(describedBy, invalid) => (
        <select id={frame.id} name={frame.id} className="input select" value={value} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => onChange(event.target.value)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

type CheckboxFieldProps = {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly errors?: readonly string[];
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
};

export function CheckboxField({ id, label, hint, errors, checked, onChange }: CheckboxFieldProps) {
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <div className="field field-checkbox" data-invalid={invalid || undefined}>
      <input id={id} name={id} type="checkbox" className="checkbox" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(event) => onChange(event.target.checked)} />
      <div>
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {hint && (
          <p className="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {invalid && (
          <ul className="field-error" id={`${id}-error`}>
            {errors!.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
