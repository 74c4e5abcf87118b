'use client';

// A type-to-search picker (the WAI-ARIA combobox pattern: a text field with a list box): the
// choices come from the server as you type, so a page offering 500 people or 1,000 runbooks
// carries none of them. ↓/↑ move through the matches, Enter picks, Escape closes; with nothing
// typed it offers `initial` (the suggested ones) or the server's first matches.

import { useEffect, useId, useState } from 'react';
import { inputClasses } from '@/components/ui/field';

export type PickerOption = { value: string; label: string; hint?: string };

type Props = {
  /** The field's accessible name. */
  label: string;
  /** GET URL answering `{items}`; `q` (what is typed) is added to its query. */
  source: string;
  /** Turns one of the source's items into an option. */
  toOption: (item: never) => PickerOption;
  value: PickerOption | null;
  onChange: (option: PickerOption | null) => void;
  placeholder?: string;
  /** Values never offered (the current holder, people already added). */
  exclude?: readonly string[];
  /** What to offer before anything is typed; the server's first matches when absent. */
  initial?: PickerOption[];
  /** A line over `initial` saying what it is ("Suggested for this incident"). */
  initialCaption?: string;
  id?: string;
  className?: string;
  /** For the keyboard shortcuts that focus the field (components/shell/keyboard.ts). */
  shortcut?: string;
  /** `inline` pushes what follows down instead of floating over it: for pickers in a panel that scrolls (and would clip a floating list). */
  list?: 'overlay' | 'inline';
};

const SEARCH_DELAY_MS = 120;

export function SearchPicker({ label, source, toOption, value, onChange, placeholder, exclude = [], initial, initialCaption, id, className = '', shortcut, list = 'overlay' }: Props) {
  const ownId = useId();
  const inputId = id ?? `${ownId}-input`;
  const listId = `${ownId}-list`;
  const [text, setText] = useState(value?.label ?? '');
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<never[] | null>(null);
  const [active, setActive] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  // The field shows the chosen option's name, and empties when the form clears the choice (after
  // a submit): adjusted while rendering, as React advises for state that follows a prop.
  const [shownValue, setShownValue] = useState(value);
  if (value !== shownValue) {
    setShownValue(value);
    setText(value?.label ?? '');
  }

  const query = value && text === value.label ? '' : text.trim();
  const useInitial = initial !== undefined && query === '';

  useEffect(() => {
    if (!open || useInitial) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const url = new URL(source, window.location.origin);
      if (query) url.searchParams.set('q', query);
      fetch(url, { headers: { accept: 'application/json' }, signal: controller.signal })
        .then(async (response) => {
          if (!response.ok) throw new Error(`the choices could not be loaded (HTTP ${response.status}); try again`);
          const body = (await response.json()) as { items: never[] };
          setFound(body.items);
          setProblem(null);
          setActive(0);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setProblem(error instanceof Error ? error.message : String(error));
        });
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, query, source, useInitial]);

  const options = (useInitial ? initial : (found ?? []).map(toOption)).filter((option) => !exclude.includes(option.value));
  const shown = open && (options.length > 0 || problem !== null || (found !== null && !useInitial));
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));

  function choose(option: PickerOption) {
    setShownValue(option);
    onChange(option);
    setText(option.label);
    setOpen(false);
  }

  return (
    <div className={`relative min-w-0 ${className}`}>
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && options[activeIndex] ? `${listId}-${activeIndex}` : undefined}
        autoComplete="off"
        spellCheck={false}
        data-shortcut={shortcut}
        placeholder={placeholder}
        value={text}
        className={`${inputClasses} w-full py-0.5 text-xs`}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
          if (value) {
            setShownValue(null);
            onChange(null);
          }
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            if (!open) return setOpen(true);
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setActive((activeIndex + step + options.length) % Math.max(options.length, 1));
          } else if (event.key === 'Enter' && shown && options[activeIndex]) {
            event.preventDefault(); // pick, don't submit: the next Enter submits the form
            choose(options[activeIndex]);
          } else if (event.key === 'Escape' && open) {
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={label}
        hidden={!shown}
        className={`${list === 'overlay' ? 'absolute left-0 right-0 z-30 shadow-lg' : ''} mt-0.5 max-h-64 overflow-auto rounded border border-zinc-200 bg-white py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900`}
      >
        {useInitial && initialCaption && options.length ? (
          <li role="presentation" className="px-2 pb-0.5 pt-1 text-[11px] uppercase tracking-wide text-zinc-500">
            {initialCaption}
          </li>
        ) : null}
        {options.map((option, index) => (
          <li
            key={option.value}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === activeIndex}
            className={`flex cursor-pointer items-baseline justify-between gap-2 px-2 py-1 ${index === activeIndex ? 'bg-zinc-100 dark:bg-zinc-800' : ''}`}
            // mousedown, not click: the field's blur would close the list before a click lands.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
            onMouseEnter={() => setActive(index)}
          >
            <span className="truncate">{option.label}</span>
            {option.hint ? <span className="shrink-0 truncate text-zinc-500">{option.hint}</span> : null}
          </li>
        ))}
        {problem ? (
          <li role="presentation" className="px-2 py-1 text-red-600 dark:text-red-400">
            {problem}
          </li>
        ) : options.length === 0 ? (
          <li role="presentation" className="px-2 py-1 text-zinc-500">
            {query ? `No match for “${query}”.` : 'Type to search.'}
          </li>
        ) : null}
      </ul>
    </div>
  );
}

/** A person from /api/v1/people as a picker option. */
export const personOption = (person: { email: string; name: string }): PickerOption => ({ value: person.email, label: person.name, hint: person.email });
