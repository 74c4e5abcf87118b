// How to run one of our TypeScript scripts in a child process, as `npm run <script>` does:
// through tsx, with React's server export conditions so modules marked `server-only` load.
export const TSX_ARGS = ['--conditions=react-server', '--import', 'tsx'] as const;
