'use client';

import { startTransition, useEffect, useRef, type FormHTMLAttributes } from 'react';

type Props = Omit<FormHTMLAttributes<HTMLFormElement>, 'action' | 'onSubmit'> & {
  /** The dispatch function from useActionState. */
  action: (formData: FormData) => void;
  /** Clear the fields after a successful submit. */
  resetWhen?: unknown;
};

// A form bound to a server action that keeps what the person typed when the server refuses it
// (React resets forms passed to `action=` after every submit, which would wipe their input).
export function ActionForm({ action, resetWhen, children, ...props }: Props) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (resetWhen) ref.current?.reset();
  }, [resetWhen]);
  return (
    <form
      ref={ref}
      {...props}
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => action(formData));
      }}
    >
      {children}
    </form>
  );
}
