import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/*
 * Text written by people (replies, reasons) is Markdown. In an e-mail it is sent as HTML rendered
 * from the Markdown and sanitized to the same plain formatting the portal shows (web:
 * features/requests/markdown.tsx), and as readable plain text for the text part.
 */

const marked = new Marked({ gfm: true, breaks: true, async: false });

/** A link an e-mail may carry: absolute http(s) or mailto only (a relative or script link means nothing, or harm, in a mail). */
const safeHref = (href: string | undefined) => (href && /^(https?:\/\/|mailto:)/i.test(href.trim()) ? href.trim() : null);
const linkAttributes = (href: string | undefined): Record<string, string> => {
  const safe = safeHref(href);
  return safe ? { href: safe, rel: 'noopener noreferrer nofollow', target: '_blank' } : {};
};

/**
 * Plain formatting only: no scripts, styles, forms or frames, no event handlers or other
 * attributes, links to http(s) and mail addresses only. Images are never loaded from an e-mail
 * (that would tell their host who read it and when): each becomes a link to it, named by its text.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: linkAttributes(attribs.href) }),
    img: (_tagName, attribs) => ({ tagName: 'a', attribs: linkAttributes(attribs.src), text: attribs.alt || (safeHref(attribs.src) ?? '') }),
  },
};

/** Markdown to the safe HTML of an e-mail. */
export function markdownToHtml(source: string): string {
  // A link left without a safe address keeps only its text.
  return sanitizeHtml(marked.parse(source) as string, SANITIZE)
    .replace(/<a>([\s\S]*?)<\/a>/g, '$1')
    .trim();
}

/** Inline HTML written in the Markdown, as its text only. */
const htmlText = (html: string) => sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });

const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[entity]!);

/** A link as plain text: "text (url)", or the url alone when the text is the url. */
const linkText = (text: string, href: string) => {
  const safe = safeHref(href);
  if (!safe || text === safe || `mailto:${text}` === safe) return text || (safe ?? '');
  return text ? `${text} (${safe})` : safe;
};

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? []).map(inlineToken).join('');
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'strong':
    case 'em':
    case 'del':
      return inline((token as Tokens.Strong).tokens);
    case 'link': {
      const link = token as Tokens.Link;
      return linkText(inline(link.tokens), link.href);
    }
    case 'image': {
      const image = token as Tokens.Image;
      return linkText(image.text, image.href);
    }
    case 'codespan':
      return decode((token as Tokens.Codespan).text);
    case 'br':
      return '\n';
    case 'html':
      return decode(htmlText((token as Tokens.HTML).text));
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : decode(text.text);
    }
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? inline(token.tokens) : decode(token.raw);
  }
}

function blocks(tokens: Token[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        break;
      case 'paragraph':
      case 'heading':
        out.push(inline((token as Tokens.Paragraph).tokens));
        break;
      case 'text': {
        const text = token as Tokens.Text;
        out.push(text.tokens ? inline(text.tokens) : decode(text.text));
        break;
      }
      case 'code':
        out.push((token as Tokens.Code).text);
        break;
      case 'blockquote':
        out.push(
          blocks((token as Tokens.Blockquote).tokens)
            .join('\n\n')
            .split('\n')
            .map((line) => `> ${line}`)
            .join('\n'),
        );
        break;
      case 'list': {
        const list = token as Tokens.List;
        const start = typeof list.start === 'number' ? list.start : 1;
        out.push(
          list.items
            .map((item, index) => {
              const marker = list.ordered ? `${start + index}. ` : '- ';
              const body = blocks(item.tokens).join('\n');
              return marker + body.split('\n').join(`\n${' '.repeat(marker.length)}`);
            })
            .join('\n'),
        );
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
        out.push([row(table.header), ...table.rows.map(row)].join('\n'));
        break;
      }
      case 'hr':
        out.push('---');
        break;
      case 'html':
        out.push(decode(htmlText((token as Tokens.HTML).text)).trim());
        break;
      default:
        out.push(inlineToken(token));
    }
  }
  return out.filter((block) => block !== '');
}

/** Markdown as readable plain text: markers removed, links as "text (url)", lists and quotes kept as text. */
export function markdownToText(source: string): string {
  return blocks(marked.lexer(source)).join('\n\n').trim();
}
