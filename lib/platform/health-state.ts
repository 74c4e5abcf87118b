// What this process last learned about its database: from the health probe (health.ts), and
// from any query that failed because the database was unreachable (errors.ts). No imports, so
// proxy.ts can read it to answer page loads with a "retrying" page during an outage.
type DatabaseState = { up: boolean; at: number };

const globalForHealth = globalThis as unknown as { sitrepDatabaseState?: DatabaseState };
const state = (globalForHealth.sitrepDatabaseState ??= { up: true, at: 0 });

export function recordDatabaseState(up: boolean, at = Date.now()): void {
  state.up = up;
  state.at = at;
}

/** True when the database was found unreachable within the last `withinMs` and not found up since. */
export function databaseKnownDown(withinMs = 10_000, now = Date.now()): boolean {
  return !state.up && now - state.at < withinMs;
}

export function lastDatabaseState(): Readonly<DatabaseState> {
  return state;
}
