import { CreateTokenForm } from '@/components/settings/create-token-form';
import { RevokeTokenButton } from '@/components/settings/revoke-token-button';
import { Forbidden } from '@/components/shell/forbidden';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listApiTokens } from '@/lib/tokens/queries';
import { listUsers } from '@/lib/users/queries';

export const metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'tokens.manage')) return <Forbidden what="Only admins manage API tokens." />;
  const [tokens, users] = await Promise.all([listApiTokens(), listUsers()]);
  const people = users.filter((user) => !user.disabled).map(({ email, name }) => ({ email, name }));
  const now = new Date();
  return (
    <div className="space-y-4">
      <Card title="Create an API token">
        <CreateTokenForm people={people} defaultEmail={actor.email} />
      </Card>
      <Card title={`Tokens (${tokens.length})`}>
        {tokens.length === 0 ? (
          <p className="text-sm text-zinc-500">No tokens yet. Scripts, CI pipelines and alerting systems use them to call the API.</p>
        ) : (
          <div className="-m-4 overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">API tokens</caption>
              <thead className="text-left text-xs text-zinc-500">
                <tr className="border-b border-zinc-200 dark:border-zinc-800">
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Token</th>
                  <th scope="col" className="px-4 py-2 font-medium">Acts as</th>
                  <th scope="col" className="px-4 py-2 font-medium">Created</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {tokens.map((token) => (
                  <tr key={token.id} className={token.revokedAt ? 'text-zinc-400 dark:text-zinc-600' : ''}>
                    <td className="px-4 py-2 font-medium">{token.name}</td>
                    <td className="px-4 py-2 font-mono text-xs">{token.prefix}…</td>
                    <td className="px-4 py-2">{token.owner.name}</td>
                    <td className="px-4 py-2 text-xs"><RelativeTime date={token.createdAt} now={now} /></td>
                    <td className="px-4 py-2 text-xs">{token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} now={now} /> : 'never'}</td>
                    <td className="px-4 py-2 text-right">
                      {token.revokedAt ? <Badge>revoked</Badge> : <RevokeTokenButton token={token} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
