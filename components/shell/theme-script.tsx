// Runs before first paint so the page never flashes the wrong theme. The choice ("light",
// "dark" or absent = follow the system) is kept in localStorage.
const script = `(function(){try{var t=localStorage.getItem('sitrep-theme');var d=t==='dark'||(t!=='light'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d);}catch(e){}})();`;

export function ThemeScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />;
}
