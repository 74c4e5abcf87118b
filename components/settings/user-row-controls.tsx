'use client';

import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { ActionForm } from '@/components/ui/action-form';
import { useServerAction } from '@/components/ui/use-server-action';
import { updateUserAction } from '@/lib/users/actions';
import type { UserDto } from '@/lib/users/schema';

export function UserRowControls({ user, isSelf }: { user: UserDto; isSelf: boolean }) {
  const { run, pending, error } = useServerAction();
  const submit = (formData: FormData) => run(() => updateUserAction(null, formData));
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <ActionForm action={submit} className="flex items-center gap-1.5">
        <input type="hidden" name="userId" value={user.id} />
        <label className="sr-only" htmlFor={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          name="role"
          defaultValue={user.role}
          className={`${inputClasses} w-28 py-1`}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
          disabled={pending}
        >
          <option value="viewer">viewer</option>
          <option value="responder">responder</option>
          <option value="admin">admin</option>
        </select>
      </ActionForm>
      {isSelf ? null : (
        <ActionForm action={submit}>
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="disabled" value={user.disabled ? 'false' : 'true'} />
          <Button type="submit" variant={user.disabled ? 'secondary' : 'danger'} disabled={pending} aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.name}`}>
            {user.disabled ? 'Enable' : 'Disable'}
          </Button>
        </ActionForm>
      )}
      {error ? (
        <p role="alert" className="w-full text-right text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
