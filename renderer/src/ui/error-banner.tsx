// A failed command in the core's own words, under a title that says what did not happen.
import type { FerryErrorShape } from '../../../shared/result.ts';
import { CrossIcon } from '../shell/icons.tsx';

export function ErrorBanner({ title, error, testId, onDismiss }: { readonly title: string; readonly error: FerryErrorShape; readonly testId?: string; readonly onDismiss?: () => void }) {
  return (
    <div className="banner banner-error" role="alert" data-testid={testId} data-code={error.code}>
      <CrossIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">{title}</p>
        <p>{error.message}</p>
      </div>
      {onDismiss && (
        <button type="button" className="button button-quiet banner-dismiss" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
