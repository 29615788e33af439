export function rendererIsStale(): boolean;
export function ensureRendererBuilt(options?: { force?: boolean }): Promise<boolean>;
