import { useRef, useState, type ReactNode } from 'react';
import { ModalDialog } from './modal-dialog.tsx';

/** A question that needs a yes before something is undone for good. */
export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; the dialog stays open, its buttons disabled, until it settles. */
  onConfirm: () => Promise<void>;
  onDismiss: () => void;
}

/** Asks before a destructive action. Focus starts on Cancel, so a stray Enter changes nothing. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onDismiss }: ConfirmDialogProps): ReactNode {
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <ModalDialog title={title} onDismiss={busy ? () => undefined : onDismiss} initialFocus={cancel}>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" ref={cancel} className="button" onClick={onDismiss} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onConfirm().finally(() => setBusy(false));
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
