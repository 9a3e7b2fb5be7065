import type { ReactNode } from 'react';

/** Shows agent text with its `backquoted` commands as code, the way the CLI writes them. */
export function RichText({ text }: { text: string }): ReactNode {
  const parts = text.split('`');
  // Odd parts were inside backquotes; an unmatched backquote leaves the rest as plain text.
  return parts.map((part, index) => (index % 2 === 1 && index < parts.length - 1 ? <code key={index}>{part}</code> : part));
}
