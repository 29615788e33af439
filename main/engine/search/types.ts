/** The provider interfaces an algorithm talks to; they live in ../providers/types.ts (shared with models/). */
export type * from '../providers/types';
