import { describe, expect, it } from 'vitest';
import { markdownToHtml, markdownToText } from './markdown.ts';
import { renderMail } from './templates.ts';

const XSS = [
  '<img src=x onerror="alert(1)">',
  '<script>alert(2)</script>',
  '[clic](javascript:alert(3))',
  '<a href="https://e.example" onclick="steal()">e</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="position:fixed" class="x" id="y">boîte</div>',
  '<form action="https://evil.example"><input name="p"></form>',
  '[vb](vbscript:x) [data](data:text/html;base64,PHNjcmlwdD4=) [relatif](/admin)',
].join('\n\n');

describe('Markdown in e-mails', () => {
  it('renders plain formatting as HTML', () => {
    expect(markdownToHtml('Veuillez indiquer la **version exacte** et *le module*.')).toBe(
      '<p>Veuillez indiquer la <strong>version exacte</strong> et <em>le module</em>.</p>',
    );
    expect(markdownToHtml('- un\n- deux')).toContain('<li>deux</li>');
    expect(markdownToHtml('`a < b`')).toBe('<p><code>a &lt; b</code></p>');
    expect(markdownToHtml('[le guide](https://docs.example/a?b=1&c=2)')).toBe(
      '<p><a href="https://docs.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">le guide</a></p>',
    );
  });

  it('strips scripts, event handlers, styles, frames, forms and unsafe links', () => {
    const html = markdownToHtml(XSS);
    for (const banned of [
      '<script',
      'alert(2)',
      'onerror',
      'onclick',
      'javascript:',
      'vbscript:',
      'data:',
      '<iframe',
      '<form',
      '<input',
      'style=',
      'class=',
      'id=',
      '<img',
      'href="/admin"',
      'href="x"',
    ]) {
      expect(html, banned).not.toContain(banned);
    }
    // What was text stays readable; the safe link stays a link.
    expect(html).toContain('boîte');
    expect(html).toContain('<a href="https://e.example" rel="noopener noreferrer nofollow" target="_blank">e</a>');
    expect(html).toContain('clic');
  });

  it('never loads an image from the outside: it becomes a link named by its text', () => {
    const html = markdownToHtml('![capture](https://tracker.example/pixel.png)');
    expect(html).not.toContain('<img');
    expect(html).toBe('<p><a href="https://tracker.example/pixel.png" rel="noopener noreferrer nofollow" target="_blank">capture</a></p>');
    expect(markdownToText('![capture](https://tracker.example/pixel.png)')).toBe('capture (https://tracker.example/pixel.png)');
  });

  it('gives readable plain text: no Markdown markers, links as "text (url)", lists and quotes as text', () => {
    expect(markdownToText('Veuillez indiquer la **version exacte** et *le module*.')).toBe('Veuillez indiquer la version exacte et le module.');
    expect(markdownToText('Voir [le guide](https://docs.example/g) ou https://x.example.')).toBe(
      'Voir le guide (https://docs.example/g) ou https://x.example.',
    );
    expect(markdownToText('- un\n- **deux**\n\n1. a\n2. b')).toBe('- un\n- deux\n\n1. a\n2. b');
    expect(markdownToText('> cité\n\n`a < b` & c')).toBe('> cité\n\na < b & c');
    expect(markdownToText('Ligne 1\nLigne 2')).toBe('Ligne 1\nLigne 2');
    expect(markdownToText('[clic](javascript:alert(3))')).toBe('clic');
  });

  it('a reply mail: the reply rendered as HTML and as text, the template copy and names escaped', () => {
    const mail = renderMail('ticket-reply', 'fr', {
      key: 'SUP-7',
      summary: 'Factures <b>bloquées</b>',
      url: 'https://guichet.example/requests/SUP-7',
      authorName: 'Eve <img src=x onerror=alert(1)>',
      body: `Pourriez-vous indiquer la **version exacte** ?\n\n${XSS}`,
    });
    expect(mail.html).toContain('<strong>version exacte</strong>');
    expect(mail.html).not.toContain('**');
    expect(mail.html).not.toMatch(/<script|<iframe|<img|javascript:/);
    // No tag carries an event handler (a name quoted as text may say "onerror", escaped).
    expect(mail.html).not.toMatch(/<[^>]*\son\w+=/);
    // A name is never HTML.
    expect(mail.html).toContain('Eve &lt;img src=x onerror=alert(1)&gt; a répondu');
    expect(mail.text).toContain('> Pourriez-vous indiquer la version exacte ?');
    expect(mail.text).not.toContain('**');
    expect(mail.subject).toBe('[SUP-7] Nouvelle réponse : Factures <b>bloquées</b>');
  });

  it('a lowered criticality: the reason rendered from its Markdown after the label', () => {
    const mail = renderMail('ticket-criticality', 'de', {
      key: 'SUP-7',
      summary: 'S',
      url: 'https://guichet.example/requests/SUP-7',
      from: 'Hoch',
      to: 'Niedrig',
      reason: 'Ein **Workaround** existiert.',
      lowered: true,
    });
    expect(mail.html).toContain('<p style="margin:0 0 4px;font-weight:600">Begründung:</p><div><p>Ein <strong>Workaround</strong> existiert.</p></div>');
    expect(mail.text).toContain('> Begründung: Ein Workaround existiert.');
  });
});
