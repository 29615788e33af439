/** @swc/core as dependency-cruiser uses it, with TSX parsing on for .tsx files (./register.mjs says why). */
import swc from '@swc/core';

const withTsx = (file, options) => ({ ...options, tsx: file.endsWith('.tsx') });

export default {
  ...swc,
  parseFileSync: (file, options) => swc.parseFileSync(file, withTsx(file, options)),
  parseFile: (file, options) => swc.parseFile(file, withTsx(file, options)),
};
