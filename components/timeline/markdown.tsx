import type { ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Notes are Markdown written by people under pressure. react-markdown renders to React elements
// and ignores raw HTML, so a note can't inject script; links open in a new tab without opener.
const UTC_CELL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

/** A table cell holding a UTC time ("2026-11-23 02:13") also shows it in the reader's zone. */
function TimeCell({ children }: { children?: ReactNode }) {
  const text = typeof children === 'string' ? children : Array.isArray(children) && children.length === 1 && typeof children[0] === 'string' ? children[0] : null;
  if (!text || !UTC_CELL.test(text)) return <td>{children}</td>;
  const local = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(`${text.replace(' ', 'T')}:00Z`));
  return (
    <td>
      <time dateTime={`${text.replace(' ', 'T')}:00Z`}>{text}</time>
      <span suppressHydrationWarning className="block text-[11px] text-zinc-500">
        {local}
      </span>
    </td>
  );
}

export function Markdown({ children, className = '', localTimes = false }: { children: string; className?: string; localTimes?: boolean }) {
  return (
    <div className={`sitrep-markdown ${className}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{
          ...(localTimes ? { td: ({ children: cell }) => <TimeCell>{cell}</TimeCell> } : {}),
          a: ({ href, children: text }) => (
            <a href={href} target="_blank" rel="noreferrer noopener" className="text-sky-700 underline dark:text-sky-400">
              {text}
            </a>
          ),
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
