// An in-app confirmation on the native <dialog>: modal, focus kept inside, Escape closes, focus returns to the opener.
import { useEffect, useRef, type ReactNode } from 'react';

type ConfirmDialogProps = {
  readonly open: boolean;
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly cancelLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
};

export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    if (open && !node.open) {
      opener.current = document.activeElement;
      node.showModal();
    } else if (!open && node.open) {
      node.close();
    }
  }, [open]);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    // Escape fires `cancel`; the parent decides, so the dialog never closes behind React's back.
    function cancel(event: Event) {
      event.preventDefault();
      onCancel();
    }
    function closed() {
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
    node.addEventListener('cancel', cancel);
    node.addEventListener('close', closed);
    return () => {
      node.removeEventListener('cancel', cancel);
      node.removeEventListener('close', closed);
    };
  }, [onCancel]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="dialog-title" aria-describedby="dialog-body">
      <h2 id="dialog-title" className="dialog-title">
        {title}
      </h2>
      <div id="dialog-body" className="dialog-body">
        {children}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" autoFocus onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="button button-primary" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
