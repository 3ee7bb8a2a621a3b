import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldCausesMarkdown } from '../src/diagnose/field-causes-doc.js';

/** `npm run docs:causes`: writes docs/field-causes.md from the causes diagnose knows. */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
writeFileSync(join(root, 'docs/field-causes.md'), fieldCausesMarkdown());
