import type { Transport } from '../transport/transport';
import type { IdReaderModel, ReaderReply } from './id-reader-model';
import { SamFrameDecoder } from './sam-frame-decoder';

/**
 * Connects an IdReaderModel to the reader's end of a link: decodes requests, writes the model's
 * replies with their timing, one at a time and in order.
 */
export interface ResponderHooks {
  /** Called after the last byte of a reply was handed to the link (`at` = performance.now()). */
  readonly onReplyWritten?: (command: ReaderReply['command'], at: number) => void;
  /**
   * Called before each chunk; returning 'cut' abandons the rest of the reply (the simulator uses
   * it to pull the plug in the middle of a frame).
   */
  readonly beforeChunk?: (command: ReaderReply['command'], index: number, count: number) => 'send' | 'cut';
}

export interface Responder {
  /** Forget half-received requests and pending replies (after the link was replugged). */
  reset(): void;
  stop(): void;
}

export function attachResponder(model: IdReaderModel, transport: Transport, hooks: ResponderHooks = {}): Responder {
  const decoder = new SamFrameDecoder({ minLength: 3 });
  let queue: Promise<void> = Promise.resolve();
  let generation = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const send = async (reply: ReaderReply, gen: number) => {
    await sleep(reply.delayMs);
    for (let i = 0; i < reply.chunks.length; i++) {
      if (gen !== generation) return;
      if (i > 0) await sleep(reply.gapMs);
      if (hooks.beforeChunk?.(reply.command, i, reply.chunks.length) === 'cut') return;
      const chunk = reply.chunks[i];
      if (chunk !== undefined && chunk.length > 0) {
        const written = await transport.write(chunk);
        if (!written.ok) return; // the link went away mid-reply, as with a pulled cable
      }
    }
    if (gen === generation) hooks.onReplyWritten?.(reply.command, performance.now());
  };

  const unsubscribe = transport.onData((chunk) => {
    for (const event of decoder.push(chunk)) {
      const reply = event.kind === 'frame' ? model.handle(event.body) : model.garbled();
      const gen = generation;
      queue = queue.then(() => send(reply, gen));
    }
  });

  const cancel = () => {
    generation++;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    decoder.reset();
    queue = Promise.resolve();
  };

  return {
    reset: cancel,
    stop() {
      cancel();
      unsubscribe();
    },
  };
}
