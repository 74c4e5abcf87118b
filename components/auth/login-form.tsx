'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field, TextInput } from '@/components/ui/field';

type Props = { callbackUrl: string; initialError: string | null; sso: { name: string } | null; demoHint: string | null };

export function LoginForm({ callbackUrl, initialError, sso, demoHint }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      redirect: false,
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      callbackUrl,
    });
    if (!result || result.error) {
      setPending(false);
      setError(result?.error === 'CredentialsSignin' || !result?.error ? 'That email and password do not match an active account.' : result.error);
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <form method="post" onSubmit={onSubmit} className="space-y-3" aria-describedby="login-error">
        <Field label="Email" name="email">
          <TextInput name="email" type="email" autoComplete="username" required autoFocus placeholder="you@example.com" />
        </Field>
        <Field label="Password" name="password">
          <TextInput name="password" type="password" autoComplete="current-password" required />
        </Field>
        <p id="login-error" role="alert" className="text-sm text-red-600 empty:hidden dark:text-red-400">
          {error}
        </p>
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {sso ? (
        <Button variant="secondary" className="w-full" onClick={() => signIn('oidc', { callbackUrl })}>
          Continue with {sso.name}
        </Button>
      ) : null}
      {demoHint ? <p className="rounded-md bg-sky-50 px-3 py-2 text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-200">{demoHint}</p> : null}
    </div>
  );
}
