import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Notes are Markdown written by people under pressure. react-markdown renders to React elements
// and ignores raw HTML, so a note can't inject script; links open in a new tab without opener.
export function Markdown({ children, className = '' }: { children: string; className?: string }) {
  return (
    <div className={`sitrep-markdown ${className}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{
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
