import path from 'node:path';
import { browserBundle } from '../../platform/http/browser-bundle.ts';

/** The embed snippet, bundled from TypeScript on first use and kept in memory. */
export const embedScript = browserBundle(
  path.join(import.meta.dirname, 'embed.ts'),
  'embed script',
);
