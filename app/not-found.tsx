import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-500">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block text-sm text-sky-600 hover:underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
