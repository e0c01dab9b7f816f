import type { FrameworkId } from '../api/types';
import { FRAMEWORKS } from '../lib/frameworks';

interface FrameworkPickerProps {
  value: FrameworkId;
  onChange: (f: FrameworkId) => void;
  /** `cards` with descriptions (Generate page) or compact `pills` (Chat header). */
  variant?: 'cards' | 'pills';
  label?: string;
  disabled?: boolean;
}

/** A radio group (arrow keys move between options, as native radios do). */
export function FrameworkPicker({
  value,
  onChange,
  variant = 'cards',
  label = 'Framework',
  disabled,
}: FrameworkPickerProps) {
  const pills = variant === 'pills';
  return (
    <fieldset disabled={disabled}>
      <legend className={pills ? 'sr-only' : 'label'}>{label}</legend>
      <div className={pills ? 'flex flex-wrap gap-1.5' : 'grid gap-3 sm:grid-cols-3'}>
        {FRAMEWORKS.map((f) => {
          const selected = f.id === value;
          return (
            <label
              key={f.id}
              className={`relative flex cursor-pointer rounded-lg border transition-colors focus-within:ring-2 focus-within:ring-indigo-500 focus-within:ring-offset-1 ${
                selected ? f.solid : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50'
              } ${pills ? 'rounded-full px-3 py-1 text-xs font-medium' : 'flex-col p-3'}`}
            >
              <input
                type="radio"
                name={`framework-${variant}`}
                value={f.id}
                checked={selected}
                onChange={() => onChange(f.id)}
                className="sr-only"
                data-testid={`framework-${f.slug}`}
              />
              <span className={pills ? '' : 'text-sm font-semibold'}>
                {pills ? f.short : f.label}
              </span>
              {!pills && (
                <span className={`mt-0.5 text-xs ${selected ? 'text-white/80' : 'text-slate-500'}`}>
                  {f.description}
                </span>
              )}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
