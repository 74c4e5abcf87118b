// The Markdown parser: md4c (CommonMark 0.31 + GFM tables, task lists, strikethrough,
// autolinks) compiled to WebAssembly, through md4w. Chosen because its cost stays linear on the
// inputs that made the JavaScript parsers freeze the server (measurements in the commit that
// added this file, and tests/unit/markdown-safety.test.ts): 100,000 characters of any
// pathological family parse in tens of milliseconds, where micromark took seconds to minutes.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initSync, mdToHtml, ParseFlags } from 'md4w';

// CommonMark with GitHub's extensions. Raw HTML is never HTML here: with both NO_HTML flags md4c
// escapes it like any text, so a pasted nginx error page reads as its source. (md4w's own
// NO_HTML shorthand is wrong in 0.2.7: it names STRIKETHROUGH instead of NO_HTML_BLOCKS.)
// No PERMISSIVE_ATX_HEADERS: "#1 priority" in a note stays a sentence, as CommonMark says.
const FLAGS =
  ParseFlags.NO_HTML_BLOCKS |
  ParseFlags.NO_HTML_SPANS |
  ParseFlags.TABLES |
  ParseFlags.STRIKETHROUGH |
  ParseFlags.TASKLISTS |
  ParseFlags.PERMISSIVE_URL_AUTO_LINKS |
  ParseFlags.PERMISSIVE_WWW_AUTO_LINKS |
  ParseFlags.PERMISSIVE_EMAIL_AUTO_LINKS;

const WASM_FILE = path.join('md4w', 'js', 'md4w-fast.wasm');

/**
 * md4w finds its .wasm beside its own module with an async `init()`; loading the bytes here
 * keeps rendering synchronous (it runs inside DTO mappers). The folders Node would search for
 * the package from this file are searched for the file (md4w exports no path to it).
 */
function wasmPath(): string {
  const folders = createRequire(import.meta.url).resolve.paths('md4w') ?? [];
  const candidates = [...folders, path.join(process.cwd(), 'node_modules')].map((folder) => path.join(folder, WASM_FILE));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`The Markdown renderer's WebAssembly file (${WASM_FILE}) is not in node_modules; run npm install.`);
  return found;
}

let ready = false;

/** Markdown → HTML as md4c writes it: every tag is md4c's own, raw HTML in the source is escaped. */
export function parseMarkdownToHtml(markdown: string, options: { hardBreaks: boolean }): string {
  if (!ready) {
    initSync(new WebAssembly.Module(readFileSync(wasmPath())));
    ready = true;
  }
  return mdToHtml(markdown, { parseFlags: options.hardBreaks ? FLAGS | ParseFlags.HARD_SOFT_BREAKS : FLAGS });
}
