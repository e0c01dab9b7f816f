import { useState } from 'react';
import { errorMessage } from '../api/errors';
import { useToast } from '../hooks/toast-context';
import { copyText } from '../lib/download';

export function CopyButton({
  text,
  label = 'Copy',
  className = 'btn-secondary',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await copyText(text);
      setCopied(true);
      toast.success('Copied to clipboard');
      setTimeout(() => setCopied(false), 2000);
    } catch (err) {
      toast.error(`Copy failed: ${errorMessage(err)}`);
    }
  };
  return (
    <button type="button" className={className} onClick={() => void copy()}>
      {copied ? 'Copied' : label}
    </button>
  );
}
