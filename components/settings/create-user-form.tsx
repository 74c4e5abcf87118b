'use client';

import { ActionForm } from '@/components/ui/action-form';
import { Button } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { useServerAction } from '@/components/ui/use-server-action';
import { createUserAction } from '@/lib/users/actions';
import type { UserDto } from '@/lib/users/schema';

export function CreateUserForm() {
  const { run, pending, result: state, fieldErrors: errors } = useServerAction<UserDto>();
  return (
    <ActionForm action={(formData) => run(() => createUserAction(null, formData))} resetWhen={state?.ok && state.data} className="grid gap-3 sm:grid-cols-[1fr_1fr_9rem_1fr_auto] sm:items-start" aria-label="Create a user">
      <Field label="Name" name="name" error={errors.name}>
        <TextInput name="name" required invalid={Boolean(errors.name)} autoComplete="off" />
      </Field>
      <Field label="Email" name="email" error={errors.email}>
        <TextInput name="email" type="email" required invalid={Boolean(errors.email)} autoComplete="off" />
      </Field>
      <Field label="Role" name="role" error={errors.role}>
        <Select name="role" defaultValue="responder">
          <option value="viewer">viewer</option>
          <option value="responder">responder</option>
          <option value="admin">admin</option>
        </Select>
      </Field>
      <Field label="Password" name="password" error={errors.password} hint="At least 10 characters">
        <TextInput name="password" type="password" required invalid={Boolean(errors.password)} autoComplete="new-password" />
      </Field>
      <div className="sm:pt-5">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create user'}
        </Button>
      </div>
      <p role="status" className={`text-sm sm:col-span-5 ${state?.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400'}`}>
        {state?.ok ? `Created ${state.data.name} (${state.data.email}).` : state && !errors.name && !errors.email && !errors.password ? state.error : ''}
      </p>
    </ActionForm>
  );
}
