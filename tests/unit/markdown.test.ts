import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '~/content/markdown.server';

describe('renderMarkdown: raw HTML is dropped', () => {
  it('drops a script block', () => {
    const html = renderMarkdown('Before\n\n<script>alert(1)</script>\n\nAfter');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('alert(1)');
    expect(html).toContain('<p>Before</p>');
    expect(html).toContain('<p>After</p>');
  });

  it('drops an inline script tag but keeps the surrounding text', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> world');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/^<p>Hello .*world<\/p>$/);
  });

  it('drops an image with an event handler', () => {
    const html = renderMarkdown('See <img src=x onerror=alert(1)> here');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/onerror/i);
  });

  it('drops iframes, inline or as a block', () => {
    for (const source of ['<iframe src="https://evil.example"></iframe>', 'Look: <iframe src="https://evil.example"></iframe>']) {
      const html = renderMarkdown(source);
      expect(html).not.toMatch(/<iframe/i);
      expect(html).not.toContain('evil.example');
    }
  });

  it('drops other dangerous elements and attributes', () => {
    const html = renderMarkdown(
      ['<div onclick="steal()">x</div>', '<style>body{display:none}</style>', '<a href="javascript:alert(1)">raw link</a>', '<svg onload=alert(1)>'].join('\n\n'),
    );
    expect(html).not.toMatch(/<(div|style|svg)/i);
    expect(html).not.toMatch(/onclick|onload|javascript:|steal\(\)/i);
  });
});

describe('renderMarkdown: links', () => {
  it.each([
    '[click me](javascript:alert(1))',
    '[click me](JavaScript:alert(1))',
    '[click me](  javascript:alert(1))',
    '[click me](<javascript:alert(1)>)',
    '[click me](vbscript:msgbox(1))',
    '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  ])('neutralises %s but keeps the text', (source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
    expect(html).toContain('click me');
  });

  it('neutralises a javascript: reference-style link and image', () => {
    const html = renderMarkdown('[ref link][x] and ![pic](javascript:alert(1))\n\n[x]: javascript:alert(2)');
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('ref link');
  });

  it('keeps ordinary https and mailto links', () => {
    const html = renderMarkdown('[Handbook](https://help.example.com/returns) or [mail us](mailto:team@example.com)');
    expect(html).toContain('<a href="https://help.example.com/returns">Handbook</a>');
    expect(html).toContain('<a href="mailto:team@example.com">mail us</a>');
  });

  it('keeps relative links to other parts of the app', () => {
    expect(renderMarkdown('[§3.1](/handbook/returns#section-3-1)')).toContain('href="/handbook/returns#section-3-1"');
  });
});

describe('renderMarkdown: formatting is kept', () => {
  it('renders GFM tables', () => {
    const html = renderMarkdown(['| Payment | Refund time |', '| --- | ---: |', '| Card | 3–5 days |', '| Balance | instant |'].join('\n'));
    expect(html).toContain('<table>');
    expect(html).toMatch(/<th>Payment<\/th>/);
    expect(html).toMatch(/<th[^>]*>Refund time<\/th>/);
    expect(html).toMatch(/<td>Card<\/td>/);
    expect(html).toMatch(/<td[^>]*>3–5 days<\/td>/);
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('renders bullet and numbered lists', () => {
    const html = renderMarkdown('- one\n- two\n\n1. first\n2. second\n');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
  });

  it('renders emphasis, strong, strikethrough and inline code', () => {
    const html = renderMarkdown('*calm* and **firm**, not ~~rude~~, order `ML-7302-118846`');
    expect(html).toContain('<em>calm</em>');
    expect(html).toContain('<strong>firm</strong>');
    expect(html).toContain('<del>rude</del>');
    expect(html).toContain('<code>ML-7302-118846</code>');
  });

  it('renders fenced code blocks with their language and escapes their content', () => {
    const html = renderMarkdown('```ts\nconst ok = a < b && c > d;\n```');
    expect(html).toMatch(/<pre><code class="language-ts">/);
    expect(html).not.toContain('a < b');
    expect(html).toMatch(/a &(lt|#x3C|#60);/i);
    expect(html).toMatch(/&(amp|#x26|#38);&(amp|#x26|#38);/i);
  });

  it('renders headings and block quotes', () => {
    const html = renderMarkdown('## Why this matters\n\n> "You can return this until 23:59."');
    expect(html).toContain('<h2>Why this matters</h2>');
    expect(html).toMatch(/<blockquote>\s*<p>"You can return this until 23:59."<\/p>\s*<\/blockquote>/);
  });
});

describe('renderMarkdown: text is escaped', () => {
  it('escapes < and & in ordinary text', () => {
    const html = renderMarkdown('Refunds < 5 days & vouchers > 0');
    expect(html).not.toContain('< 5');
    expect(html).not.toMatch(/& vouchers/);
    expect(html).toMatch(/&(lt|#x3C|#60); 5 days &(amp|#x26|#38); vouchers/i);
  });

  it('escapes HTML-looking text given as a code span rather than running it', () => {
    const html = renderMarkdown('Type `<script>alert(1)</script>` into nothing');
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<code>&(lt|#x3C|#60);script/i);
  });

  it('escapes entities written out in the source', () => {
    const html = renderMarkdown('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });
});
