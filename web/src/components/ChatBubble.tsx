import { formatTime, formatUsd } from '../lib/format';

interface ChatBubbleProps {
  role: string;
  content: string;
  createdAt: string;
  tokens?: number | null;
  cost?: number | null;
  pending?: boolean;
}

export function ChatBubble({ role, content, createdAt, tokens, cost, pending }: ChatBubbleProps) {
  const mine = role === 'user';
  return (
    <li
      className={`flex ${mine ? 'justify-end' : 'justify-start'}`}
      data-testid={`chat-message-${mine ? 'user' : 'assistant'}`}
    >
      <div
        className={`max-w-[85%] rounded-2xl px-4 py-2.5 shadow-sm sm:max-w-[75%] ${
          mine
            ? 'rounded-br-sm bg-indigo-600 text-white'
            : 'rounded-bl-sm border border-slate-200 bg-white text-slate-800'
        } ${pending ? 'opacity-70' : ''}`}
      >
        <span className="sr-only">{mine ? 'You said:' : 'Assistant said:'}</span>
        <p className="text-sm whitespace-pre-wrap break-words">{content}</p>
        <p className={`mt-1 text-[11px] ${mine ? 'text-indigo-100' : 'text-slate-400'}`}>
          <time dateTime={createdAt}>{pending ? 'sending…' : formatTime(createdAt)}</time>
          {!mine && tokens ? ` · ${tokens} tokens` : ''}
          {!mine && cost ? ` · ${formatUsd(cost)}` : ''}
        </p>
      </div>
    </li>
  );
}
