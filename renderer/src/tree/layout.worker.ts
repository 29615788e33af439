/** Runs the tree layout off the UI thread for large trees. */
import { layoutOf, type LayoutKind } from '../model/layout';

interface LayoutRequest {
  id: number;
  parentIndex: Int32Array;
  kind: LayoutKind;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, parentIndex, kind } = event.data;
  try {
    const positions = layoutOf(kind, parentIndex);
    (self as unknown as Worker).postMessage({ id, positions }, [positions.buffer]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
