export const CLI_BUNDLE_DIR: string;
export function buildCli(outDir?: string): Promise<number>;
export function bundleIsFresh(outDir?: string): boolean;
