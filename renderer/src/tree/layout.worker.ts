/** Runs the tidy-tree layout off the UI thread for large trees. */
import { layoutTree } from '../model/layout';

interface LayoutRequest {
  id: number;
  parentIndex: Int32Array;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, parentIndex } = event.data;
  try {
    const positions = layoutTree(parentIndex);
    (self as unknown as Worker).postMessage({ id, positions }, [positions.buffer]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
