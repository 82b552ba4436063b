import { useMemo } from 'react';
import { Typography, type TypographyProps } from '@mantine/core';
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import classes from './requests.module.css';

const marked = new Marked({ gfm: true, breaks: true, async: false });

// Links written in requests open in a new tab, without handing it this window.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Markdown to safe HTML: rendered by marked, then everything but plain formatting removed by DOMPurify. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'class', 'id'],
  });
}

/**
 * The one way the portal shows text written by people (descriptions, replies, notes): Markdown,
 * sanitized. Never render user text as HTML any other way.
 */
export function Markdown({ source, ...props }: { source: string } & Omit<TypographyProps, 'children'>) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown's output is sanitized (DOMPurify).
  return <Typography className={classes.markdown} {...props} dangerouslySetInnerHTML={{ __html: html }} />;
}
