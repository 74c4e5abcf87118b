import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

export const inputClasses =
  'block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

type FieldProps = { label: string; name: string; error?: string; hint?: ReactNode; children: ReactNode; className?: string };

/** A labelled control with its error announced to screen readers. */
export function Field({ label, name, error, hint, children, className = '' }: FieldProps) {
  return (
    <div className={className}>
      <label htmlFor={name} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label}
      </label>
      {children}
      {hint && !error ? <p className="mt-1 text-xs text-zinc-500">{hint}</p> : null}
      <p id={`${name}-error`} aria-live="polite" className="mt-1 text-xs text-red-600 empty:hidden dark:text-red-400">
        {error}
      </p>
    </div>
  );
}

export function TextInput({ name, invalid, ...props }: InputHTMLAttributes<HTMLInputElement> & { name: string; invalid?: boolean }) {
  return <input id={name} name={name} aria-invalid={invalid || undefined} aria-describedby={`${name}-error`} className={inputClasses} {...props} />;
}

export function Select({ name, invalid, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { name: string; invalid?: boolean }) {
  return (
    <select id={name} name={name} aria-invalid={invalid || undefined} aria-describedby={`${name}-error`} className={inputClasses} {...props}>
      {children}
    </select>
  );
}
