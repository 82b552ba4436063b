import { describe, expect, it } from 'vitest';
import { adfMediaNames, adfToMarkdown } from './adf-to-markdown.ts';

const text = (t: string, ...marks: { type: string; attrs?: Record<string, unknown> }[]) => ({ type: 'text', text: t, ...(marks.length ? { marks } : {}) });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const li = (...content: unknown[]) => ({ type: 'listItem', content });

describe('adfToMarkdown', () => {
  it('gives nothing for null, undefined or a non-document, and keeps a plain string as it is', () => {
    expect(adfToMarkdown(null)).toBe('');
    expect(adfToMarkdown(undefined)).toBe('');
    expect(adfToMarkdown(42)).toBe('');
    expect(adfToMarkdown('Plain *text* from JSM')).toBe('Plain *text* from JSM');
    expect(adfToMarkdown(doc())).toBe('');
  });

  it('separates paragraphs and writes headings by level', () => {
    const md = adfToMarkdown(doc({ type: 'heading', attrs: { level: 2 }, content: [text('Scope')] }, p(text('First.')), p(text('Second.'))));
    expect(md).toBe('## Scope\n\nFirst.\n\nSecond.');
  });

  it('writes bold, italic, strike, code and links, with spaces outside the delimiters', () => {
    const md = adfToMarkdown(
      doc(
        p(
          text('a '),
          text('bold ', { type: 'strong' }),
          text('it', { type: 'em' }),
          text(' '),
          text('gone', { type: 'strike' }),
          text(' '),
          text('x = `y`', { type: 'code' }),
          text(' '),
          text('site', { type: 'link', attrs: { href: 'https://example.com/a b' } }),
          text(' '),
          text('both', { type: 'strong' }, { type: 'em' }),
        ),
      ),
    );
    expect(md).toBe('a **bold** *it* ~~gone~~ `` x = `y` `` [site](https://example.com/a%20b) ***both***');
  });

  it('joins adjacent texts with the same marks', () => {
    expect(adfToMarkdown(doc(p(text('ab', { type: 'strong' }), text('cd', { type: 'strong' }))))).toBe('**abcd**');
  });

  it('escapes what Markdown would read as formatting', () => {
    const md = adfToMarkdown(
      doc(p(text('2 * 3 = _six_ [not a link](x) <b> a|b ~x~ \\ &amp;')), p(text('# not a heading')), p(text('1. not a list')), p(text('- nor this'))),
    );
    expect(md).toBe('2 \\* 3 = \\_six\\_ \\[not a link\\](x) \\<b\\> a\\|b \\~x\\~ \\\\ \\&amp;\n\n\\# not a heading\n\n1\\. not a list\n\n\\- nor this');
  });

  it('writes hard breaks as Markdown line breaks', () => {
    expect(adfToMarkdown(doc(p(text('one'), { type: 'hardBreak' }, text('two'))))).toBe('one\\\ntwo');
  });

  it('writes nested bullet and ordered lists, with the ordered start', () => {
    const md = adfToMarkdown(
      doc({
        type: 'bulletList',
        content: [li(p(text('a')), { type: 'orderedList', attrs: { order: 3 }, content: [li(p(text('a3'))), li(p(text('a4')))] }), li(p(text('b')))],
      }),
    );
    expect(md).toBe('- a\n  3. a3\n  4. a4\n- b');
  });

  it('writes task lists with their state', () => {
    const md = adfToMarkdown(
      doc({
        type: 'taskList',
        content: [
          { type: 'taskItem', attrs: { state: 'DONE' }, content: [text('done')] },
          { type: 'taskItem', attrs: { state: 'TODO' }, content: [text('todo')] },
        ],
      }),
    );
    expect(md).toBe('- [x] done\n- [ ] todo');
  });

  it('fences code blocks with their language, longer than any backtick run inside, without escaping', () => {
    expect(adfToMarkdown(doc({ type: 'codeBlock', attrs: { language: 'sql' }, content: [text('SELECT * FROM t;')] }))).toBe('```sql\nSELECT * FROM t;\n```');
    expect(adfToMarkdown(doc({ type: 'codeBlock', content: [text('a ``` b')] }))).toBe('````\na ``` b\n````');
  });

  it('quotes blockquotes and panels, and writes rules', () => {
    const md = adfToMarkdown(
      doc(
        { type: 'blockquote', content: [p(text('said')), p(text('twice'))] },
        { type: 'rule' },
        { type: 'panel', attrs: { panelType: 'warning' }, content: [p(text('Careful'))] },
      ),
    );
    expect(md).toBe('> said\n>\n> twice\n\n---\n\n> Careful');
  });

  it('writes mentions, emojis, cards, statuses and dates as text', () => {
    const md = adfToMarkdown(
      doc(
        p(
          { type: 'mention', attrs: { id: 'acc-1', text: '@Claire Client' } },
          text(' '),
          { type: 'mention', attrs: { id: 'acc-2', text: 'Bob' } },
          text(' '),
          { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
          { type: 'emoji', attrs: { shortName: ':custom:' } },
          text(' '),
          { type: 'inlineCard', attrs: { url: 'https://acme.atlassian.net/browse/SUP-1' } },
          text(' '),
          { type: 'status', attrs: { text: 'IN PROGRESS', color: 'blue' } },
          text(' '),
          { type: 'date', attrs: { timestamp: '1772445600000' } },
        ),
        { type: 'blockCard', attrs: { url: 'https://example.com/page' } },
      ),
    );
    expect(md).toBe('@Claire Client @Bob 😄:custom: <https://acme.atlassian.net/browse/SUP-1> IN PROGRESS 2026-03-02\n\n<https://example.com/page>');
  });

  it('writes tables as GFM tables with cells on one line and pipes escaped', () => {
    const cell = (type: string, ...content: unknown[]) => ({ type, content });
    const md = adfToMarkdown(
      doc({
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', p(text('Day'))), cell('tableHeader', p(text('Topic')))] },
          {
            type: 'tableRow',
            content: [cell('tableCell', p(text('12 March')), p(text('am'))), cell('tableCell', p(text('SSO'), { type: 'hardBreak' }, text('a|b')))],
          },
          { type: 'tableRow', content: [cell('tableCell', { type: 'bulletList', content: [li(p(text('x'))), li(p(text('y')))] })] },
        ],
      }),
    );
    expect(md).toBe('| Day | Topic |\n| --- | --- |\n| 12 March am | SSO a\\|b |\n| - x - y |  |');
  });

  it('shows media as attachment markers, by alt text, else by id', () => {
    const md = adfToMarkdown(
      doc(
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { type: 'file', id: 'f-1', alt: 'screen_shot.png' } }] },
        {
          type: 'mediaGroup',
          content: [
            { type: 'media', attrs: { type: 'file', id: 'f-2', alt: 'a.pdf' } },
            { type: 'media', attrs: { type: 'file', id: 'f-3' } },
          ],
        },
      ),
    );
    expect(md).toBe('[attachment: screen\\_shot.png]\n\n[attachment: a.pdf]\n[attachment: f-3]');
  });

  it('keeps the text of unknown and extension nodes', () => {
    const md = adfToMarkdown(
      doc(
        { type: 'bodiedExtension', attrs: { extensionKey: 'x' }, content: [p(text('inside'))] },
        { type: 'futureBlock', content: [text('future '), text('inline', { type: 'strong' })] },
        { type: 'expand', attrs: { title: 'Details' }, content: [p(text('hidden'))] },
        p({ type: 'inlineExtension', attrs: { text: 'ext*' } }),
      ),
    );
    expect(md).toBe('inside\n\nfuture **inline**\n\n**Details**\n\nhidden\n\next\\*');
  });

  it('survives malformed trees', () => {
    expect(adfToMarkdown({ type: 'doc', content: [null, 3, { type: 'paragraph', content: 'nope' }, { type: 'paragraph', content: [{ type: 'text' }] }] })).toBe(
      '',
    );
    expect(adfToMarkdown({ type: 'heading', content: [text('Alone')] })).toBe('# Alone');
  });
});

describe('adfMediaNames', () => {
  it('lists the names of the media of a document, nested anywhere', () => {
    const names = adfMediaNames(
      doc(
        p(text('see')),
        {
          type: 'mediaGroup',
          content: [
            { type: 'media', attrs: { id: '1', alt: 'report.pdf' } },
            { type: 'media', attrs: { id: '2' } },
          ],
        },
        { type: 'blockquote', content: [{ type: 'mediaSingle', content: [{ type: 'media', attrs: { id: '3', alt: 'shot.png' } }] }] },
        p({ type: 'mediaInline', attrs: { id: '4', alt: 'inline.txt' } }),
      ),
    );
    expect(names).toEqual(['report.pdf', 'shot.png', 'inline.txt']);
    expect(adfMediaNames(null)).toEqual([]);
    expect(adfMediaNames('text')).toEqual([]);
  });
});
