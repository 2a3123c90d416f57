/**
 * How the services' process is told to keep its memory small over weeks (docs/soak.md, "What it
 * found"): one definition for both ways the services run. The headless variant gets it from its unit
 * (packaging/systemd/village-kiosk.service, Environment= lines; a test holds the two equal); the
 * Electron variant, whose fuses ignore NODE_OPTIONS, gets the V8 flags as `--js-flags` on its command
 * line (the only way they reach Electron's main process) and the allocator's variables in its
 * environment.
 */

/** glibc's allocator: two arenas, and every block from 128 KB up mapped on its own and returned when freed. */
export const serviceAllocatorEnvironment: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/**
 * V8: young-generation semi-spaces of 4 MB (a resident's garbage is short-lived), and an old generation
 * capped at 256 MB, which makes V8 size its heap as on a small device (it grows the heap by a smaller
 * factor before collecting, and so commits less it then keeps); the live heap is ~50 MB.
 */
export const serviceV8Flags: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=256'];
