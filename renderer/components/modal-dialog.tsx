import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

/** What a modal dialog shows and does. */
export interface ModalDialogProps {
  title: string;
  /** Called when the person dismisses it (Escape, or a Cancel button calling it). */
  onDismiss: () => void;
  /** The control focused when it opens (default: the first one, as the browser picks). */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` makes the page behind it inert,
 * keeps focus inside, and turns Escape into a `cancel` event (WAI-ARIA APG, dialog pattern). It
 * is mounted only while open; on close, focus returns to the control that opened it, or to the
 * page's main heading when that control is gone or disabled (e.g. the site was removed).
 */
export function ModalDialog({ title, onDismiss, initialFocus, children }: ModalDialogProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      const usable = opener !== null && opener.isConnected && !(opener instanceof HTMLButtonElement && opener.disabled);
      const target = usable ? opener : document.getElementById('main-heading');
      target?.focus();
    };
  }, [initialFocus]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // React owns whether the dialog is open: the browser is not left to close it by itself.
        event.preventDefault();
        onDismiss();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
