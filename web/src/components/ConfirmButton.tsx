import { useState, type ReactNode } from 'react';
import { Modal } from './Modal';
import { Spinner } from './states';

interface ConfirmButtonProps {
  /** What the button says. */
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown> | void;
  className?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

/** A destructive action behind an explicit confirmation dialog (no window.confirm). */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel = 'Delete',
  onConfirm,
  className = 'btn-danger',
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
                Cancel
              </button>
              <button
                type="button"
                className="btn-danger"
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
