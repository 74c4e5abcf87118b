// A flood of anonymous traffic for the survival tests, in a process of its own so that the test
// measuring a signed-in person's latency is not slowed by its own load generator:
//   node --import tsx scripts/support/flood.ts <url> <connections> <seconds> <incident number>
// Every connection loops over: the API with a malformed bearer token, the API with a well-formed
// but unknown one (a new one each time), a note posted with a made-up token, and the public
// status page. Prints a JSON summary (requests, status codes, errors) on its last line.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

const [url, connections, seconds, incident] = process.argv.slice(2);
const madeUpToken = () => `sitrep_${randomBytes(32).toString('base64url')}`;

const options: autocannon.Options = {
  url: url!,
  connections: Number(connections),
  duration: Number(seconds),
  timeout: 30,
  requests: [
    { method: 'GET', path: '/api/v1/incidents', headers: { authorization: 'Bearer fake' } },
    { method: 'GET', path: '/api/v1/me', setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${madeUpToken()}` } }) },
    {
      method: 'POST',
      path: `/api/v1/incidents/${incident}/timeline`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'flood' }),
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${madeUpToken()}` } }),
    },
    { method: 'GET', path: '/status' },
    { method: 'GET', path: '/api/v1/status' },
  ],
};
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
  // The test starts measuring once the flood is really on.
  instance.once('response', () => console.log('flooding'));
});
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]));
console.log(JSON.stringify({ requests: result.requests.total, statusCodes, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }));
