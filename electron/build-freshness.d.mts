export interface BuiltTarget {
  /** Milliseconds since the epoch, taken before the build read its inputs. */
  readonly builtAt: number;
  /** Files the output was built from, relative to the project root. */
  readonly inputs: readonly string[];
  /** Files the build wrote that must exist, relative to the project root. */
  readonly outputs: readonly string[];
}
export type BuildManifest = Partial<Record<string, BuiltTarget>>;
export function manifestPath(root: string): string;
export function readManifest(root: string): BuildManifest;
export function staleReason(root: string, target: string): string | null;
