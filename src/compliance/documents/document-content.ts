// The structure every generated compliance document has, and its canonical text. The SHA-256 of
// the canonical text is the document's hash: the HTML and PDF are renderings of the same content,
// and `/…/v<N>.txt` serves the exact canonical bytes so anyone can recompute the hash.
import { createHash } from 'node:crypto';

export const DOCUMENT_KINDS = [
  'policy',
  'responsible_order',
  'internal_regulation',
  'harm_assessment',
  'processing_record',
  'processing_record_en',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export type ContentBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'fields'; rows: { label: string; value: string }[] };

export type ContentSection = {
  /** Stable anchor: `general`, `purpose-<code>` … */
  id: string;
  heading: string;
  blocks: ContentBlock[];
};

export type DocumentContent = {
  title: string;
  language: 'ru' | 'en';
  /** Lines under the title: the operator, the document's subject. */
  preamble: string[];
  sections: ContentSection[];
};

/** One line per paragraph, list item and field; sections numbered. Deterministic. */
export function canonicalText(content: DocumentContent): string {
  const lines: string[] = [content.title, ''];
  for (const line of content.preamble) lines.push(line);
  if (content.preamble.length > 0) lines.push('');
  content.sections.forEach((section, index) => {
    lines.push(`${index + 1}. ${section.heading}`);
    for (const block of section.blocks) {
      switch (block.type) {
        case 'paragraph':
          lines.push(block.text);
          break;
        case 'list':
          for (const item of block.items) lines.push(`— ${item}`);
          break;
        case 'fields':
          for (const row of block.rows) lines.push(`${row.label}: ${row.value}`);
          break;
      }
    }
    lines.push('');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
