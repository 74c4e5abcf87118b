// The Markdown reader (micromark, through remark) takes time that grows with the square of the
// number of lists in one document: 100 KB of short sections with a list each reads in about a
// second, 400 KB in 14, so a 1 MB handbook hit the worker's 20 s deadline. A long document is
// therefore read in pieces of about CHUNK_CHARS, cut only before an ATX heading at the start of
// a line that follows a blank line, outside fenced code and the HTML blocks a blank line does not
// end (comments, <pre>, <script>, <style>, <textarea>, <?…?>, <!…>, CDATA): there CommonMark
// starts a new block whatever came before, so each piece reads as it would in the whole. The
// pieces' trees are joined with their positions moved to the whole text's lines and offsets.
// (Sizes are in characters: about 48 K a piece.)
// A document with link reference or footnote definitions is read whole (a reference resolves
// against every definition in the document), as is any document shorter than two pieces.
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Node, Point } from 'unist';
import { closesFence, fenceOpenedBy } from './bounds';

const CHUNK_CHARS = 48 * 1024;

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

const HEADING = /^#{1,6}(?:[ \t]|$)/;
const DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;
// HTML blocks of kinds 1–5 (CommonMark 4.6): they run to their end marker, across blank lines.
const HTML_BLOCKS: { open: RegExp; close: RegExp }[] = [
  { open: /^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i, close: /<\/(?:pre|script|style|textarea)>/i },
  { open: /^ {0,3}<!--/, close: /-->/ },
  { open: /^ {0,3}<\?/, close: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, close: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/ },
];

type Piece = { text: string; offset: number; line: number };

/** The text cut into pieces of at least `chunkChars`, each after the first starting at a heading that starts a new block in any context. */
export function pieces(text: string, chunkChars: number): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  let startLine = 1;
  let offset = 0;
  let line = 1;
  let fence: string | null = null;
  let html: RegExp | null = null;
  let previousBlank = true;
  // YAML front matter (`---` to `---` on the first lines), where `# …` is a comment.
  let frontMatter = text.startsWith('---\n');
  for (const content of text.split('\n')) {
    if (frontMatter) {
      if (line > 1 && content === '---') frontMatter = false;
    } else if (fence) {
      if (closesFence(content, fence)) fence = null;
    } else if (html) {
      if (html.test(content)) html = null;
    } else {
      if (previousBlank && HEADING.test(content) && offset - start >= chunkChars) {
        out.push({ text: text.slice(start, offset), offset: start, line: startLine });
        start = offset;
        startLine = line;
      }
      const opening = fenceOpenedBy(content);
      if (opening) fence = opening;
      else {
        const block = HTML_BLOCKS.find((kind) => kind.open.test(content));
        // The end marker may be on the opening line itself (`<!-- note -->`).
        if (block && !block.close.test(content.replace(block.open, ''))) html = block.close;
      }
    }
    previousBlank = !content.trim();
    offset += content.length + 1;
    line++;
  }
  out.push({ text: text.slice(start), offset: start, line: startLine });
  return out;
}

function moved(point: Point, piece: Piece): Point {
  return { line: point.line + piece.line - 1, column: point.column, offset: point.offset === undefined ? undefined : point.offset + piece.offset };
}

function move(node: Node, piece: Piece): void {
  if (node.position) node.position = { start: moved(node.position.start, piece), end: moved(node.position.end, piece) };
  if ('children' in node && Array.isArray(node.children)) for (const child of node.children as Node[]) move(child, piece);
}

/** The document's mdast tree (CommonMark, GFM, YAML front matter), read in pieces when it is long. */
export function parseMarkdownTree(text: string, chunkChars = CHUNK_CHARS): Root {
  if (text.length < chunkChars * 2 || DEFINITION.test(text)) return processor.parse(text) as Root;
  const parts = pieces(text, chunkChars);
  if (parts.length === 1) return processor.parse(text) as Root;
  const trees = parts.map((piece) => processor.parse(piece.text) as Root);
  trees.forEach((tree, index) => move(tree, parts[index]!));
  // The whole text runs from the first piece's start to the last piece's end.
  return { type: 'root', children: trees.flatMap((tree) => tree.children), position: { start: trees[0]!.position!.start, end: trees.at(-1)!.position!.end } };
}
