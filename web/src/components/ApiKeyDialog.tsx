import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { getApiKey, setApiKey } from '../api/auth';
import { useAuth } from '../hooks/useAuth';
import { Modal } from './Modal';

/**
 * Asks for an API key when the API refuses a request with 401 (API_KEYS set on the server),
 * and lets the user change or forget the stored one from the nav bar.
 */
export function ApiKeyControl() {
  const { hasKey, keyNeeded } = useAuth();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const showDialog = open || keyNeeded;
  if (!hasKey && !showDialog) return null;

  const close = () => {
    setOpen(false);
    if (keyNeeded) setApiKey(getApiKey()); // dismissing clears the "needed" flag until the next 401
  };

  return (
    <>
      {hasKey && (
        <button
          type="button"
          className="rounded-md px-2 py-1 text-xs text-indigo-100 hover:bg-indigo-600 focus-visible:outline-white"
          onClick={() => setOpen(true)}
        >
          API key
        </button>
      )}
      {showDialog && (
        <KeyForm
          needed={keyNeeded}
          onClose={close}
          onSave={(key) => {
            setApiKey(key);
            setOpen(false);
            void qc.invalidateQueries();
          }}
        />
      )}
    </>
  );
}

function KeyForm({
  needed,
  onClose,
  onSave,
}: {
  needed: boolean;
  onClose: () => void;
  onSave: (key: string | undefined) => void;
}) {
  const [value, setValue] = useState(getApiKey() ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(value.trim() || undefined);
  };
  return (
    <Modal title="API key" size="md" onClose={onClose}>
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">
          {needed ? 'This Quillflow API requires a key. ' : ''}The key is kept in this browser and
          sent as <code className="font-mono text-xs">X-API-Key</code>. Deleting data and
          controlling runs needs an admin key.
        </p>
        <div>
          <label htmlFor="api-key-input" className="label">
            Key
          </label>
          <input
            id="api-key-input"
            type="password"
            autoComplete="off"
            className="input font-mono"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-autofocus
          />
        </div>
        <div className="flex justify-end gap-2">
          {getApiKey() && (
            <button type="button" className="btn-secondary" onClick={() => onSave(undefined)}>
              Forget key
            </button>
          )}
          <button type="submit" className="btn-primary" disabled={!value.trim()}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
