// A titled group of form fields, shown as a card; its heading names the fieldset for assistive technology.
import type { ReactNode } from 'react';

export function FormSection({ title, description, children }: { readonly title: string; readonly description: string; readonly children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <fieldset className="card form-section" aria-labelledby={id}>
      <div className="form-section-head">
        <h2 id={id}>{title}</h2>
        <p>{description}</p>
      </div>
      <div className="form-section-body">{children}</div>
    </fieldset>
  );
}
