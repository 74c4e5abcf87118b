// The survival tests run real `next start` processes, so they need the production build. In
// `npm test` Playwright has just made it; run alone, this builds it when it is missing or stale.
import { ensureBuild } from '../../scripts/support/build.ts';

export default function setup(): void {
  ensureBuild({ ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }, { anyKey: true, say: (line) => console.log(`[survival] ${line}`) });
}
