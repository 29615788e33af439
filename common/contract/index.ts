/**
 * The one API contract. Each area declares its methods in its own file; this index merges them.
 * Adding a method: declare it in an area file, implement it in main/engine/api/, done: IPC,
 * preload, HTTP and the renderer client pick it up from here.
 */
import type { z } from 'zod';
import { annotateMethods } from './annotate';
import { evalMethods } from './eval';
import { exportMethods } from './export';
import { libraryMethods } from './library';
import { reviewMethods } from './review';
import { searchMethods } from './search';
import { suggestMethods } from './suggest';
import { workspaceMethods } from './workspace';
import { studioMethods } from './studio';
import { transcriptMethods } from './transcript';

export * from './define';
export * from './events';

export const contract = {
  ...libraryMethods,
  ...annotateMethods,
  ...exportMethods,
  ...studioMethods,
  ...reviewMethods,
  ...searchMethods,
  ...suggestMethods,
  ...workspaceMethods,
  ...transcriptMethods,
  ...evalMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** What the renderer calls: one async function per contract method. */
export type ApiClient = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>;
};

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
