/** What became of a form's last submit: the server's refusal (announced) or a calm confirmation. */
export function FormOutcome({ error, done, className = 'text-sm' }: { error: string | null; done: string | null; className?: string }) {
  if (error) {
    return (
      <p role="alert" className={`${className} text-red-600 dark:text-red-400`}>
        {error}
      </p>
    );
  }
  if (done) {
    return (
      <p role="status" className={`${className} text-emerald-700 dark:text-emerald-400`}>
        {done}
      </p>
    );
  }
  return null;
}
