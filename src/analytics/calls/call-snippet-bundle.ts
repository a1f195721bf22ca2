import path from 'node:path';
import { browserBundle } from '../../platform/http/browser-bundle.ts';

/** The call-tracking snippet, bundled from TypeScript on first use and kept in memory. */
export const callSnippet = browserBundle(
  path.join(import.meta.dirname, 'snippet', 'call-snippet.ts'),
  'call-tracking script',
);
