import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDestination,
  classifyAddress,
  createGuardedLookup,
  normalizeHost,
  parseAllowHosts,
  type AllowEntry,
  type ResolveHost,
} from '@/lib/platform/delivery/destination';

const resolvesTo =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const publicLookup = resolvesTo('93.184.216.34');

async function refusal(url: string, allowHosts: AllowEntry[] = [], lookup?: ResolveHost): Promise<string> {
  const result = await checkDestination(url, { allowHosts, lookup });
  if (result.ok) throw new Error(`${url} was allowed`);
  return result.reason;
}

describe('normalizeHost', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['::1', '[::1]'],
    ['[0:0::1]', '[::1]'],
    ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]'],
    ['Hooks.Example.COM.', 'hooks.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('reads %s as %s, like the URL parser', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });

  it.each(['', 'a:80', 'a/b', 'user@a', 'a b', '[::1]:80', '999.1.1.1'])('refuses %j', (input) => {
    expect(() => normalizeHost(input)).toThrow(TypeError);
  });
});

describe('parseAllowHosts', () => {
  it('reads hosts and host:port entries, trimmed and lowercase, skipping empty ones', () => {
    expect(parseAllowHosts(' Hooks.Internal , localhost:8080,, [::1]:9000 , ::1, 10.0.0.5 ,')).toEqual([
      { host: 'hooks.internal', port: null },
      { host: 'localhost', port: 8080 },
      { host: '[::1]', port: 9000 },
      { host: '[::1]', port: null },
      { host: '10.0.0.5', port: null },
    ]);
    expect(parseAllowHosts('')).toEqual([]);
    expect(parseAllowHosts(' , ')).toEqual([]);
  });

  it.each(['a b', 'host:0', 'host:70000', 'host:http', 'http://host', '[::1'])('says which entry is wrong: %j', (value) => {
    expect(() => parseAllowHosts(value)).toThrow(`SITREP_WEBHOOK_ALLOW_HOSTS: "${value}" is not a host`);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private (RFC 1918)'],
    ['10.255.255.255', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'CGNAT (100.64.0.0/10)'],
    ['100.127.255.255', 'CGNAT (100.64.0.0/10)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'documentation (TEST-NET)'],
    ['198.18.0.1', 'benchmarking (198.18.0.0/15)'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:A9FE:A9FE', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private (RFC 1918)'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['fc00::1', 'unique local (fc00::/7)'],
    ['fd12::1', 'unique local (fc00::/7)'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['localhost', 'invalid'],
    ['0177.0.0.1', 'invalid'],
  ])('%s is %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '223.255.255.255', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2606:4700:4700::1111', '2a00:1450::1'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );
});

describe('checkDestination', () => {
  it.each([
    ['http://127.0.0.1/hook', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://[::1]:8080/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 is a loopback address'],
    ['https://10.1.2.3/', '10.1.2.3 is a private (RFC 1918) address'],
    ['https://172.16.0.1/', '172.16.0.1 is a private (RFC 1918) address'],
    ['https://172.31.0.1/', '172.31.0.1 is a private (RFC 1918) address'],
    ['https://192.168.0.10/', '192.168.0.10 is a private (RFC 1918) address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://100.64.0.1/', '100.64.0.1 is a CGNAT (100.64.0.0/10) address'],
    ['http://0.0.0.0:3000/', '0.0.0.0 is an unspecified address'],
    ['http://224.0.0.1/', '224.0.0.1 is a multicast address'],
    ['http://[fc00::1]/', 'fc00::1 is a unique local (fc00::/7) address'],
    ['http://[fd12::1]/', 'fd12::1 is a unique local (fc00::/7) address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
  ])('refuses %s', async (url, start) => {
    expect(await refusal(url)).toBe(`${start}; Sitrep does not send webhooks to internal addresses unless the host is listed in SITREP_WEBHOOK_ALLOW_HOSTS`);
  });

  it('allows a public IP literal without a lookup', async () => {
    const result = await checkDestination('https://172.32.0.1/hook', {
      allowHosts: [],
      lookup: () => Promise.reject(new Error('no lookup for IP literals')),
    });
    expect(result).toMatchObject({ ok: true, addresses: ['172.32.0.1'] });
  });

  it('refuses localhost, which resolves to a loopback address', async () => {
    expect(await refusal('http://localhost:3000/hook')).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address; Sitrep does not send webhooks/);
    // Whether `localhost.` resolves depends on the system's resolver; either way it is refused.
    expect(await refusal('http://LOCALHOST./hook')).toMatch(/^localhost\. (resolves to (127\.0\.0\.1|::1), a loopback address|does not resolve)/);
    const loopback = resolvesTo('127.0.0.1');
    expect(await refusal('http://LOCALHOST./hook', [], loopback)).toMatch(/^localhost\. resolves to 127\.0\.0\.1, a loopback address;/);
    expect((await checkDestination('http://LOCALHOST./hook', { allowHosts: parseAllowHosts('localhost'), lookup: loopback })).ok).toBe(true);
  });

  it('refuses a host when any of its addresses is internal', async () => {
    const lookup = resolvesTo('93.184.216.34', '2606:2800:220:1::1', '10.0.0.7');
    expect(await refusal('https://mixed.example.com/', [], lookup)).toMatch(/^mixed\.example\.com resolves to 10\.0\.0\.7, a private \(RFC 1918\) address;/);
  });

  it('refuses a host that does not resolve', async () => {
    expect(await refusal('https://nonexistent.invalid/hook')).toBe('nonexistent.invalid does not resolve to an address; check the host name in the webhook URL');
    expect(await refusal('https://empty.example.com/', [], resolvesTo())).toMatch(/does not resolve/);
  });

  it('refuses other schemes, credentials and malformed URLs', async () => {
    expect(await refusal('ftp://files.example.com/x', [], publicLookup)).toBe('Webhook URLs must use http or https, not ftp');
    expect(await refusal('file:///etc/passwd')).toBe('Webhook URLs must use http or https, not file');
    expect(await refusal('https://user:secret@hooks.example.com/', [], publicLookup)).toMatch(/must not contain a user name or password/);
    expect(await refusal('https://token@hooks.example.com/', [], publicLookup)).toMatch(/must not contain a user name or password/);
    expect(await refusal('hooks.example.com/x', [], publicLookup)).toMatch(/is not a valid URL/);
  });

  it('allows a public host and returns what it resolved to', async () => {
    const result = await checkDestination('https://Hooks.Example.com/run?x=1', { allowHosts: [], lookup: publicLookup });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.addresses).toEqual(['93.184.216.34']);
    expect(result.url.href).toBe('https://hooks.example.com/run?x=1');
  });

  describe('with SITREP_WEBHOOK_ALLOW_HOSTS', () => {
    const internal = resolvesTo('10.0.0.7');

    it('allows a listed host on any port whatever it resolves to', async () => {
      const allowHosts = parseAllowHosts('runner.internal');
      for (const url of ['http://runner.internal/', 'https://runner.internal:8443/x', 'http://RUNNER.Internal:9000/']) {
        expect(await checkDestination(url, { allowHosts, lookup: internal }), url).toMatchObject({ ok: true, addresses: ['10.0.0.7'] });
      }
      expect(await refusal('http://other.internal/', allowHosts, internal)).toMatch(/^other\.internal resolves to 10\.0\.0\.7/);
    });

    it('allows a host:port entry only on that port, counting the default port when none is written', async () => {
      const allowHosts = parseAllowHosts('Runner.Internal:8080, secure.internal:443, plain.internal:80');
      expect((await checkDestination('http://runner.internal:8080/', { allowHosts, lookup: internal })).ok).toBe(true);
      expect(await refusal('http://runner.internal:8081/', allowHosts, internal)).toMatch(/SITREP_WEBHOOK_ALLOW_HOSTS$/);
      expect(await refusal('http://runner.internal/', allowHosts, internal)).toMatch(/SITREP_WEBHOOK_ALLOW_HOSTS$/);
      expect((await checkDestination('https://secure.internal/', { allowHosts, lookup: internal })).ok).toBe(true);
      expect((await checkDestination('https://secure.internal:443/', { allowHosts, lookup: internal })).ok).toBe(true);
      expect(await refusal('http://secure.internal/', allowHosts, internal)).toMatch(/SITREP_WEBHOOK_ALLOW_HOSTS$/);
      expect((await checkDestination('http://plain.internal/', { allowHosts, lookup: internal })).ok).toBe(true);
      expect(await refusal('https://plain.internal/', allowHosts, internal)).toMatch(/SITREP_WEBHOOK_ALLOW_HOSTS$/);
    });

    it('matches IP literals and IPv6 in brackets, as written in the URL', async () => {
      expect((await checkDestination('http://127.0.0.1:8080/', { allowHosts: parseAllowHosts('127.0.0.1') })).ok).toBe(true);
      expect((await checkDestination('http://[::1]:9000/', { allowHosts: parseAllowHosts('[::1]:9000') })).ok).toBe(true);
      expect((await checkDestination('http://[0::1]:9000/', { allowHosts: parseAllowHosts('::1') })).ok).toBe(true);
      expect(await refusal('http://[::1]:9001/', parseAllowHosts('[::1]:9000'))).toMatch(/^::1 is a loopback address/);
      // The allow-list names hosts, not addresses: localhost is not 127.0.0.1.
      expect(await refusal('http://localhost/', parseAllowHosts('127.0.0.1'))).toMatch(/^localhost resolves to/);
    });
  });
});

describe('createGuardedLookup', () => {
  const call = (lookup: ReturnType<typeof createGuardedLookup>, hostname: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family: unknown }>((resolve) => {
      lookup(hostname, options, (error, address, family) => resolve({ error, address, family }));
    });

  it('answers single and {all: true} calls with the allowed addresses', async () => {
    const lookup = createGuardedLookup([], { lookup: resolvesTo('2606:2800:220:1::1', '93.184.216.34') });
    expect(await call(lookup, 'hooks.example.com', {})).toEqual({ error: null, address: '2606:2800:220:1::1', family: 6 });
    expect(await call(lookup, 'hooks.example.com', { family: 4 })).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    expect(await call(lookup, 'hooks.example.com', { all: true })).toMatchObject({
      error: null,
      address: [
        { address: '2606:2800:220:1::1', family: 6 },
        { address: '93.184.216.34', family: 4 },
      ],
    });
  });

  it('fails with ESSRF when any address is internal, in both calling styles', async () => {
    const lookup = createGuardedLookup([], { lookup: resolvesTo('93.184.216.34', '169.254.169.254') });
    for (const options of [{}, { all: true }]) {
      const { error } = await call(lookup, 'rebind.example.com', options);
      expect(error?.code).toBe('ESSRF');
      expect(error?.message).toMatch(/^rebind\.example\.com resolves to 169\.254\.169\.254, a cloud metadata address;/);
    }
  });

  it('passes resolver errors on, and reports a host with no address of the wanted family', async () => {
    const failing = createGuardedLookup([], { lookup: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })) });
    expect((await call(failing, 'x.example.com', {})).error?.code).toBe('ENOTFOUND');
    const v6only = createGuardedLookup([], { lookup: resolvesTo('2606:2800:220:1::1') });
    expect((await call(v6only, 'x.example.com', { family: 4 })).error?.code).toBe('ENOTFOUND');
  });

  it('lets allow-listed hosts through, honouring the port only when it is given', async () => {
    const internal = { lookup: resolvesTo('10.0.0.7') };
    expect((await call(createGuardedLookup(parseAllowHosts('runner.internal'), internal), 'Runner.Internal', {})).error).toBeNull();
    expect((await call(createGuardedLookup(parseAllowHosts('runner.internal:8080'), { ...internal, port: 8080 }), 'runner.internal', {})).error).toBeNull();
    expect((await call(createGuardedLookup(parseAllowHosts('runner.internal:8080'), { ...internal, port: 8081 }), 'runner.internal', {})).error?.code).toBe('ESSRF');
    expect((await call(createGuardedLookup(parseAllowHosts('runner.internal:8080'), internal), 'runner.internal', {})).error?.code).toBe('ESSRF');
  });

  describe('as the lookup of http.get', () => {
    let server: http.Server;
    let port = 0;
    let requests = 0;
    let connections = 0;

    beforeAll(async () => {
      server = http.createServer((_request, response) => {
        requests += 1;
        response.end('ok');
      });
      server.on('connection', () => (connections += 1));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const get = (lookup: ReturnType<typeof createGuardedLookup>) =>
      new Promise<{ status?: number; error?: NodeJS.ErrnoException }>((resolve) => {
        const request = http.get({ host: 'localhost', port, path: '/hook', family: 4, lookup, agent: false }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode }));
        });
        request.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
      });

    it('refuses to connect to localhost, and the server sees nothing', async () => {
      const { status, error } = await get(createGuardedLookup([]));
      expect(status).toBeUndefined();
      expect(error?.code).toBe('ESSRF');
      expect(error?.message).toMatch(/^localhost resolves to 127\.0\.0\.1, a loopback address;/);
      expect({ requests, connections }).toEqual({ requests: 0, connections: 0 });
    });

    it('connects when localhost is allowed', async () => {
      expect(await get(createGuardedLookup(parseAllowHosts('localhost')))).toEqual({ status: 200 });
      expect(await get(createGuardedLookup(parseAllowHosts(`localhost:${port}`), { port }))).toEqual({ status: 200 });
      expect({ requests, connections }).toEqual({ requests: 2, connections: 2 });
    });
  });
});
