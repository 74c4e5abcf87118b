import Link from 'next/link';

export default function IncidentNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-lg font-semibold">No such incident</h1>
      <p className="mt-1 text-sm text-zinc-500">Check the number; incidents are numbered like INC-42.</p>
      <Link href="/incidents" className="mt-3 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
        All incidents
      </Link>
    </div>
  );
}
