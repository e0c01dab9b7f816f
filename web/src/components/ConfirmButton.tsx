import { useState, type ReactNode } from 'react';
import { Modal } from './Modal';
import { Spinner } from './states';

interface ConfirmButtonProps {
  /** What the button says. */
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  /** The button that closes the dialog and does nothing: never "Cancel", which reads as an action next to "Cancel batch". */
  dismissLabel?: string;
  /** `danger` for what destroys or stops, `primary` for what starts something (and costs). */
  tone?: 'danger' | 'primary';
  onConfirm: () => Promise<unknown> | void;
  className?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

/**
 * A destructive or costly action behind an explicit confirmation dialog (no window.confirm),
 * whose buttons say what each does.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel = 'Delete',
  dismissLabel = 'Go back',
  tone = 'danger',
  onConfirm,
  className = tone === 'danger' ? 'btn-danger' : 'btn-primary',
  disabled,
  ...rest
}: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } catch {
      // The caller reports the failure (toast); the dialog stays open to try again.
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => setOpen(true)}
        aria-label={rest['aria-label']}
      >
        {children}
      </button>
      {open && (
        <Modal
          title={title}
          role="alertdialog"
          size="md"
          onClose={() => !busy && setOpen(false)}
          footer={
            <>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => setOpen(false)}
                disabled={busy}
                data-autofocus
              >
                {dismissLabel}
              </button>
              <button
                type="button"
                className={tone === 'danger' ? 'btn-danger' : 'btn-primary'}
                onClick={() => void confirm()}
                disabled={busy}
              >
                {busy && <Spinner />}
                {confirmLabel}
              </button>
            </>
          }
        >
          <div className="text-sm text-slate-700">{message}</div>
        </Modal>
      )}
    </>
  );
}
