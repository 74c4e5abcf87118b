// What rendered Markdown may contain once it reaches a browser. md4c escapes raw HTML, but md4w's
// HTML writer is not careful with attributes (a code fence's language can break out of its
// class attribute; entities such as `&#106;avascript:` pass into hrefs verbatim), so its output
// is treated as untrusted. js-xss tokenises it as a browser would (attribute by attribute,
// without building a tree, so its cost stays linear however deep the nesting), escapes stray
// text, and writes back only the tags and attributes listed here. Links and images are rebuilt
// from their decoded URLs.
import { decodeHTMLAttribute, escapeUTF8 } from 'entities';
import xss, { FilterXSS, type IWhiteList, type parseAttr as ParseAttr } from 'xss';

// xss is CommonJS and attaches its helpers in a loop, which Node can't see as named exports.
const { parseAttr } = xss as unknown as { parseAttr: typeof ParseAttr };

const LINK_REL = 'noopener noreferrer nofollow';

/** Deeper than this is never real Markdown: the tags go, the text stays (the browser's layout stays cheap). */
export const MAX_NESTING = 40;

// md4c's tags. Anything else (a future md4c feature, a parser bug) is dropped with its text kept.
const allowList: IWhiteList = {
  p: [],
  br: [],
  hr: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: ['class'],
  pre: [],
  code: ['class'],
  em: [],
  strong: [],
  del: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  // Rebuilt in `onTag` below; listed so they are not stripped.
  a: [],
  img: [],
  input: [],
};

const VOID = new Set(['br', 'hr', 'img', 'input']);

// Each allowed attribute value, as md4c writes it; anything else is dropped.
const attributeRules: Record<string, RegExp> = {
  'ol.start': /^\d{1,9}$/,
  'li.class': /^task-list-item$/,
  'code.class': /^language-[\w+#.-]{1,40}$/,
  'th.align': /^(?:left|center|right)$/,
  'td.align': /^(?:left|center|right)$/,
};

// Resolving against an origin of our own tells a same-origin path from one a browser would take
// elsewhere (`//host`, `/\host`, `https:host`), the way the browser itself reads it.
const HERE = 'https://sitrep.invalid';

function readAttributes(tagHtml: string, tag: string): Record<string, string> {
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  const inner = tagHtml.slice(1 + tag.length, tagHtml.endsWith('/>') ? -2 : -1);
  parseAttr(inner, (name, value) => {
    // As the browser will read it: entities decoded (`&#106;avascript:` is javascript:).
    attributes[name] = decodeHTMLAttribute(value);
    return '';
  });
  return attributes;
}

/** The URL a browser would follow, if it is one we let people follow: http(s), mailto or a path here. */
function safeUrl(raw: string | undefined): URL | null {
  if (!raw) return null;
  // The URL parser drops tabs and newlines anywhere and trims control characters and spaces.
  const cleaned = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  let url: URL;
  try {
    url = new URL(cleaned, `${HERE}/`);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url : null;
}

/**
 * A same-origin URL written as a path. A path that begins with `//` (from `/.//host`) would be
 * read back as another host, so it keeps the `/.` that makes it a path.
 */
function pathOf(url: URL): string {
  return `${url.pathname.startsWith('//') ? '/.' : ''}${url.pathname}${url.search}${url.hash}`;
}

function attribute(name: string, value: string): string {
  return ` ${name}="${escapeUTF8(value)}"`;
}

/** A link opens in a new tab, tells the target nothing about Sitrep and passes it no ranking. */
function link(attributes: Record<string, string>): string {
  const url = safeUrl(attributes.href);
  const href = url ? (url.origin === HERE ? pathOf(url) : url.href) : null;
  return `<a${href ? attribute('href', href) : ''}${attributes.title ? attribute('title', attributes.title) : ''}${attribute('rel', LINK_REL)}${attribute('target', '_blank')}>`;
}

/**
 * Images from other hosts are not loaded while reading (a tracking pixel would learn who looked,
 * and when): each becomes a link that opens the image after a click. Images on this Sitrep load
 * as images; anything else (data:, other schemes) keeps only its description.
 */
function image(attributes: Record<string, string>): string {
  const alt = (attributes.alt ?? '').trim();
  const url = safeUrl(attributes.src);
  if (url && url.origin === HERE) {
    return `<img${attribute('src', pathOf(url))}${attribute('alt', alt)}${attributes.title ? attribute('title', attributes.title) : ''} loading="lazy">`;
  }
  if (url && url.protocol !== 'mailto:') {
    const text = `Show image from ${url.host}${alt ? `: ${alt}` : ''}`;
    return `<a${attribute('href', url.href)} class="sitrep-external-image"${attribute('title', alt || url.href)}${attribute('rel', LINK_REL)}${attribute('target', '_blank')}>${escapeUTF8(text)}</a>`;
  }
  return `<span>${escapeUTF8(alt ? `[image: ${alt}]` : '[image]')}</span>`;
}

/**
 * Words in running text that become links or highlights, such as `INC-12` or `@priya`: a domain
 * passes the rule, the platform applies it to text outside links and code. What a rule may
 * produce is held here: a link to a path on this site, or a highlighted word.
 */
export type TextReferences = {
  /** Names the rule in the render cache: one name, one rule, always. */
  name: string;
  /** A global (`g`) expression run over the text, as md4c escaped it. */
  pattern: RegExp;
  /** What a match becomes; null leaves it as text. */
  render: (match: RegExpExecArray) => { kind: 'link'; href: string; text: string } | { kind: 'mention'; text: string } | null;
};

/** A same-site path (`/incidents/12`); anything else is not ours to link. */
const SITE_PATH = /^\/(?![/\\])[^\s"'<>]*$/;

function applyReferences(text: string, references: TextReferences): string {
  let out = '';
  let last = 0;
  const pattern = new RegExp(references.pattern.source, references.pattern.flags.includes('g') ? references.pattern.flags : `${references.pattern.flags}g`);
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex++;
      continue;
    }
    const made = references.render(match);
    if (!made || (made.kind === 'link' && !SITE_PATH.test(made.href))) continue;
    // The text is already escaped by md4c; a rule's own text is escaped here.
    const shown = escapeUTF8(made.text);
    out += text.slice(last, match.index) + (made.kind === 'link' ? `<a${attribute('href', made.href)} class="sitrep-ref">${shown}</a>` : `<span class="sitrep-mention">${shown}</span>`);
    last = match.index + match[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** md4c's HTML → the same HTML with nothing but the allowlist in it (and `references` applied to its text). */
export function sanitizeRenderedHtml(html: string, references?: TextReferences): string {
  // Per render: md4c's output is balanced, so a counter follows the nesting.
  let depth = 0;
  let insideHeadingAnchor = false;
  // Text inside a link or code is left as written.
  let literal = 0;
  const filter = new FilterXSS({
    whiteList: allowList,
    stripIgnoreTag: true,
    allowCommentTag: false,
    css: false,
    escapeHtml: (text) => {
      const escaped = text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return references && literal === 0 && escaped ? applyReferences(escaped, references) : escaped;
    },
    onTag(tag, tagHtml, { isClosing }) {
      if (!Object.hasOwn(allowList, tag)) return '';
      if (tag === 'a' || tag === 'code' || tag === 'pre') literal = Math.max(0, literal + (isClosing ? -1 : 1));
      if (isClosing) {
        if (VOID.has(tag)) return '';
        const level = depth;
        depth = Math.max(0, depth - 1);
        if (tag === 'a' && insideHeadingAnchor) {
          insideHeadingAnchor = false;
          return '';
        }
        return level > MAX_NESTING ? '' : `</${tag}>`;
      }
      if (!VOID.has(tag)) depth += 1;
      if (depth > MAX_NESTING) return '';
      if (tag === 'a') {
        const attributes = readAttributes(tagHtml, tag);
        // md4w gives every heading an empty self-link with an id; ids from text can clobber
        // the page's own DOM names, and the link has nothing to show.
        if (attributes.class === 'anchor') {
          insideHeadingAnchor = true;
          return '';
        }
        return link(attributes);
      }
      if (tag === 'img') return image(readAttributes(tagHtml, tag));
      // md4c's task-list boxes show state; they are never a form control.
      if (tag === 'input') return `<input type="checkbox" disabled${'checked' in readAttributes(tagHtml, tag) ? ' checked' : ''}>`;
      // Most tags have no attributes to keep: written directly, without parsing the attributes.
      return allowList[tag]!.length === 0 ? `<${tag}>` : undefined;
    },
    onTagAttr(tag, name, value) {
      const rule = attributeRules[`${tag}.${name}`];
      return rule && rule.test(value) ? undefined : '';
    },
  });
  return filter.process(html);
}
