/*
 * Atlassian Document Format (the JSON tree Jira Cloud gives for descriptions and comments) to the
 * Markdown Guichet stores. Written here rather than taken from npm: adf-to-md (1.2.1) is
 * unmaintained and lists an eslint config as a runtime dependency; Atlassian's own packages
 * (@atlaskit/adf-utils, @atlaskit/editor-markdown-transformer) drag ProseMirror and a tree of
 * feature-flag packages, and the transformer goes the other way (Markdown to ADF). ADF is a small,
 * documented tree; a walk over it is easier to audit than any of these.
 *
 * The aim is faithful text, not a perfect round trip: what Markdown cannot say (colours, panel
 * types, column widths, underline) is dropped, never the words. Text is escaped so that a
 * customer's "*" or "#" stays a character; attachments shown inline become "[attachment: name]" so
 * the reader knows one was there (the file itself is imported beside the message).
 */

type Node = { type?: unknown; text?: unknown; attrs?: Record<string, unknown>; marks?: Mark[]; content?: unknown };
type Mark = { type?: unknown; attrs?: Record<string, unknown> };

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const children = (node: Node): Node[] => (Array.isArray(node.content) ? node.content.filter(isNode) : []);
const attr = (node: Node, name: string): unknown => node.attrs?.[name];
const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Markdown from an ADF document; a plain string (JSM sometimes answers text) is kept as it is; null or anything else gives ''. */
export function adfToMarkdown(doc: unknown): string {
  if (typeof doc === 'string') return doc;
  if (!isNode(doc)) return '';
  const out = doc.type === 'doc' ? blocks(children(doc)) : block(doc);
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

/** The names (alt text, else file name) of the media in a document: which attachments a comment shows. */
export function adfMediaNames(doc: unknown): string[] {
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (!isNode(node)) return;
    if (node.type === 'media' || node.type === 'mediaInline') {
      const name = str(attr(node, 'alt')) || str(attr(node, 'filename')) || str(attr(node, 'name'));
      if (name) names.push(name);
    }
    for (const child of children(node)) walk(child);
  };
  walk(doc);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Blocks

function blocks(nodes: Node[], separator = '\n\n'): string {
  return nodes
    .map((node) => block(node))
    .filter((text) => text !== '')
    .join(separator);
}

function block(node: Node): string {
  switch (node.type) {
    case 'doc':
      return blocks(children(node));
    case 'paragraph':
      return protectLineStarts(inline(children(node)));
    case 'heading': {
      const level = Math.min(Math.max(Number(attr(node, 'level')) || 1, 1), 6);
      const text = inline(children(node)).replace(/\s*\n\s*/g, ' ');
      return text ? `${'#'.repeat(level)} ${text}` : '';
    }
    case 'bulletList':
      return children(node)
        .map((item) => listItem(item, '- '))
        .join('\n');
    case 'orderedList': {
      const start = Number(attr(node, 'order'));
      let n = Number.isInteger(start) && start >= 0 ? start : 1;
      return children(node)
        .map((item) => listItem(item, `${n++}. `))
        .join('\n');
    }
    case 'taskList':
      return children(node)
        .map((item) => (item.type === 'taskItem' ? listItem(item, attr(item, 'state') === 'DONE' ? '- [x] ' : '- [ ] ') : block(item)))
        .join('\n');
    case 'decisionList':
      return children(node)
        .map((item) => listItem(item, '- '))
        .join('\n');
    case 'listItem':
    case 'taskItem':
    case 'decisionItem':
      return listItem(node, '- ');
    case 'codeBlock': {
      const code = plainText(node);
      const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      const language = str(attr(node, 'language')).replace(/[^\w+#.-]/g, '');
      return `${fence}${language}\n${code}\n${fence}`;
    }
    case 'blockquote':
    case 'panel':
      return quote(blocks(children(node)));
    case 'rule':
      return '---';
    case 'mediaSingle':
    case 'mediaGroup':
      return children(node)
        .map((media) => (media.type === 'media' ? attachment(media) : block(media)))
        .filter((text) => text !== '')
        .join('\n');
    case 'media':
      return attachment(node);
    case 'table':
      return table(node);
    case 'expand':
    case 'nestedExpand': {
      const title = str(attr(node, 'title'));
      const body = blocks(children(node));
      return title ? `**${escapeText(title)}**\n\n${body}` : body;
    }
    case 'blockCard':
    case 'embedCard':
      return cardUrl(node);
    case 'text':
    case 'hardBreak':
    case 'mention':
    case 'emoji':
    case 'inlineCard':
    case 'status':
    case 'date':
    case 'mediaInline':
      return inline([node]);
    default: {
      // Unknown or extension nodes: what they say, never their structure.
      const kids = children(node);
      if (kids.length === 0) return escapeText(str(attr(node, 'text')) || str(node.text));
      return kids.every((kid) => isInlineType(kid.type)) ? protectLineStarts(inline(kids)) : blocks(kids);
    }
  }
}

function listItem(item: Node, marker: string): string {
  const kids = children(item);
  // Task and decision items hold inline content directly; list items hold blocks.
  const body = kids.every((kid) => isInlineType(kid.type)) ? inline(kids) : blocks(kids, '\n');
  const indent = ' '.repeat(marker.length);
  const lines = body.split('\n');
  return lines.map((line, i) => (i === 0 ? `${marker}${line}` : line === '' ? '' : `${indent}${line}`)).join('\n');
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

function table(node: Node): string {
  const rows = children(node)
    .filter((row) => row.type === 'tableRow')
    .map((row) => children(row).map((cell) => cellText(cell)));
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((row) => row.length), 1);
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head = [], ...body] = rows;
  return [line(head), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}

/** A table cell on one line: GFM tables cannot hold line breaks or unescaped pipes. */
function cellText(cell: Node): string {
  return blocks(children(cell), ' ')
    .replace(/\\\n/g, ' ')
    .replace(/\n+/g, ' ')
    .replace(/(?<!\\)\|/g, '\\|')
    .trim();
}

function attachment(media: Node): string {
  const name = str(attr(media, 'alt')) || str(attr(media, 'filename')) || str(attr(media, 'id'));
  return `[attachment: ${escapeText(name || 'file')}]`;
}

function cardUrl(node: Node): string {
  const data = attr(node, 'data');
  const url = str(attr(node, 'url')) || (isNode(data) ? str((data as Record<string, unknown>).url) : '');
  if (!url) return '';
  return /^[a-z][a-z0-9+.-]*:[^\s<>]*$/i.test(url) ? `<${url}>` : escapeText(url);
}

// ---------------------------------------------------------------------------------------------
// Inline

const INLINE_TYPES = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date', 'mediaInline', 'placeholder', 'inlineExtension']);
const isInlineType = (type: unknown) => typeof type === 'string' && INLINE_TYPES.has(type);

function inline(nodes: Node[]): string {
  let out = '';
  const merged = mergeTexts(nodes);
  for (const node of merged) {
    switch (node.type) {
      case 'text':
        out += markText(str(node.text), node.marks ?? []);
        break;
      case 'hardBreak':
        out += '\\\n';
        break;
      case 'mention': {
        const name = str(attr(node, 'text')).replace(/^@/, '') || str(attr(node, 'id'));
        out += `@${escapeText(name)}`;
        break;
      }
      case 'emoji':
        out += escapeText(str(attr(node, 'text')) || str(attr(node, 'shortName')));
        break;
      case 'inlineCard':
        out += cardUrl(node);
        break;
      case 'status':
        out += escapeText(str(attr(node, 'text')));
        break;
      case 'date': {
        const ms = Number(attr(node, 'timestamp'));
        out += Number.isFinite(ms) && str(attr(node, 'timestamp')) !== '' ? new Date(ms).toISOString().slice(0, 10) : '';
        break;
      }
      case 'mediaInline':
      case 'media':
        out += attachment(node);
        break;
      case 'placeholder':
        break;
      default: {
        const kids = children(node);
        out += kids.length > 0 ? inline(kids) : escapeText(str(attr(node, 'text')) || str(node.text));
      }
    }
  }
  return out;
}

/** Adjacent texts with the same marks become one, so "**a****b**" is written "**ab**". */
function mergeTexts(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === 'text' && last?.type === 'text' && marksKey(last.marks) === marksKey(node.marks)) {
      out[out.length - 1] = { ...last, text: str(last.text) + str(node.text) };
    } else out.push(node);
  }
  return out;
}
const marksKey = (marks: Mark[] | undefined) => JSON.stringify((marks ?? []).map((m) => [m.type, m.attrs ?? null]));

function markText(text: string, marks: Mark[]): string {
  if (text === '') return '';
  const has = (type: string) => marks.some((m) => m.type === type);
  const link = marks.find((m) => m.type === 'link');
  let body: string;
  if (has('code')) {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const ticks = '`'.repeat(longest + 1);
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    body = `${ticks}${pad}${text.replace(/\n/g, ' ')}${pad}${ticks}`;
  } else body = escapeText(text);
  // Emphasis delimiters must touch the words: spaces move outside them.
  const wrap = (delimiter: string) => {
    const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(body);
    if (!match || match[2] === '') return;
    body = `${match[1]}${delimiter}${match[2]}${delimiter}${match[3]}`;
  };
  if (has('em')) wrap('*');
  if (has('strong')) wrap('**');
  if (has('strike')) wrap('~~');
  if (link) {
    const href = str(link.attrs?.href);
    if (href) body = `[${body}](${href.replace(/[()\s<>]/g, (c) => encodeURIComponent(c))})`;
  }
  return body;
}

/** Text as Markdown shows it literally. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, '\\$&').replace(/&(?=#?\w+;)/g, '\\&');
}

/** What would start a heading, a list, a rule or a code block at the start of a line of a paragraph stays text. */
function protectLineStarts(text: string): string {
  return text
    .split('\n')
    .map((raw) => {
      const line = raw.replace(/^[ \t]+/, '');
      if (/^#{1,6}(\s|$)/.test(line) || /^[-+=](\s|$)/.test(line) || /^(-\s*){3,}$/.test(line) || /^=+\s*$/.test(line)) return `\\${line}`;
      const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line);
      if (ordered) return `${ordered[1]}\\${line.slice((ordered[1] ?? '').length)}`;
      return line;
    })
    .join('\n');
}

function plainText(node: Node): string {
  if (node.type === 'text') return str(node.text);
  if (node.type === 'hardBreak') return '\n';
  return children(node).map(plainText).join('');
}
