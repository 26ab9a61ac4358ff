/**
 * A small Markdown renderer for report templates: headings, paragraphs, lists, block quotes,
 * horizontal rules, pipe tables, **bold**, *emphasis*, `code`, [links](url), and `{{directives}}`
 * handed to a callback (a directive alone on its line is a block; inside text it is inline).
 * It exists so reports need no dependency; it is not a general CommonMark implementation.
 * Raw HTML in a template is escaped, never passed through.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Renders a directive (`raw` is the text between the braces) as HTML; `block` when alone on its line. */
export type DirectiveRenderer = (raw: string, block: boolean) => string;

const DIRECTIVE = /\{\{([\s\S]*?)\}\}/g;

/** A URL safe to put in href: http(s), mailto, a fragment or a relative path; anything else becomes "#". */
export function safeHref(url: string): string {
  const u = url.trim();
  if (/^(https?:|mailto:)/i.test(u) || u.startsWith('#') || u.startsWith('/') || /^[\w.-]+(\/[\w.#%?=&:+-]*)*$/.test(u)) return u;
  return '#';
}

/** Heading text → an id (lower-case, hyphens). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/&[a-z#0-9]+;/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

function inlineText(text: string): string {
  let out = escapeHtml(text);
  const codes: string[] = [];
  out = out.replace(/`([^`]+)`/g, (_, c: string) => {
    codes.push(`<code>${c}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t: string, href: string) => `<a href="${escapeHtml(safeHref(href.replace(/&amp;/g, '&')))}">${t}</a>`);
  out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  out = out.replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\w)/g, '$1<em>$2</em>');
  out = out.replace(/(^|[^\w])_([^_\s][^_]*?)_(?!\w)/g, '$1<em>$2</em>');
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]!);
}

/** Renders inline Markdown with inline directives. */
export function renderInline(text: string, directive: DirectiveRenderer): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(DIRECTIVE)) {
    out += inlineText(text.slice(last, m.index));
    out += directive(m[1]!.trim(), false);
    last = m.index! + m[0].length;
  }
  return out + inlineText(text.slice(last));
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Renders a Markdown template to HTML, calling `directive` for every `{{…}}`. */
export function renderMarkdown(source: string, directive: DirectiveRenderer): string {
  const out: string[] = [];
  const inline = (t: string) => renderInline(t, directive);
  let i = 0;
  // Template comments: <!-- … --> (possibly over several lines) are dropped.
  const ls = source.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '').split('\n');
  while (i < ls.length) {
    const line = ls[i]!;
    const t = line.trim();
    if (t === '') {
      i++;
      continue;
    }
    const dm = /^\{\{([\s\S]*)\}\}$/.exec(t);
    if (dm && !dm[1]!.includes('}}')) {
      out.push(directive(dm[1]!.trim(), true));
      i++;
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(t);
    if (h) {
      const level = h[1]!.length;
      const body = inline(h[2]!);
      out.push(`<h${level} id="${escapeHtml(slugify(body))}">${body}</h${level}>`);
      i++;
      continue;
    }
    if (/^(-{3,}|\*{3,})$/.test(t)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (t.startsWith('>')) {
      const quote: string[] = [];
      while (i < ls.length && ls[i]!.trim().startsWith('>')) quote.push(ls[i++]!.trim().replace(/^>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(quote.join('\n'), directive)}</blockquote>`);
      continue;
    }
    if (t.startsWith('|') && i + 1 < ls.length && /^\|?\s*:?-{2,}/.test(ls[i + 1]!.trim())) {
      const head = splitRow(t);
      i += 2;
      const body: string[][] = [];
      while (i < ls.length && ls[i]!.trim().startsWith('|')) body.push(splitRow(ls[i++]!));
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${head.map((_, k) => `<td>${inline(r[k] ?? '')}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const bullet = /^([-*]|\d+\.)\s+/;
    if (bullet.test(t)) {
      const ordered = /^\d+\./.test(t);
      const items: string[] = [];
      while (i < ls.length) {
        const cur = ls[i]!;
        if (bullet.test(cur.trim()) && (/^\d+\./.test(cur.trim()) === ordered)) items.push(cur.trim().replace(bullet, ''));
        else if (cur.trim() !== '' && /^\s+/.test(cur) && items.length) items[items.length - 1] += ` ${cur.trim()}`;
        else break;
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (i < ls.length) {
      const cur = ls[i]!.trim();
      if (cur === '' || /^(#{1,4})\s/.test(cur) || cur.startsWith('>') || bullet.test(cur) || (cur.startsWith('{{') && cur.endsWith('}}') && !cur.slice(2).includes('{{')) || (cur.startsWith('|') && para.length === 0)) break;
      para.push(cur);
      i++;
    }
    if (para.length === 0) {
      out.push(`<p>${inline(ls[i]!.trim())}</p>`);
      i++;
      continue;
    }
    out.push(`<p>${inline(para.join(' '))}</p>`);
  }
  return out.join('\n');
}

/** Parses a directive's text: `metric detainer_outcomes place=state:MA title="Outcomes"` → name, args, params. */
export function parseDirective(raw: string): { name: string; args: string[]; params: Record<string, string> } {
  const tokens = [...raw.matchAll(/([\w.-]+)=("([^"]*)"|'([^']*)'|\S+)|"([^"]*)"|(\S+)/g)];
  const args: string[] = [];
  const params: Record<string, string> = {};
  for (const t of tokens) {
    if (t[1] !== undefined) params[t[1]] = t[3] ?? t[4] ?? t[2]!;
    else args.push(t[5] ?? t[6]!);
  }
  const [name = '', ...rest] = args;
  return { name, args: rest, params };
}
