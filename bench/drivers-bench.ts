import { benchDecodeFrames, benchReadLatency } from '../drivers/id-card/id-card-bench';
import { IdCardDriver } from '../drivers/id-card/id-card-driver';
import { startIdReaderSimulator } from '../drivers/id-card/id-reader-simulator';
import { silentLog } from '../foundation/log';
import { benchReceiptEncoding } from '../drivers/printer/printer-bench';
import { SerialTransport } from '../drivers/transport/serial-transport';
import { figure, ms, section, summarize } from './stats';

/** Issue 4's figures: frame decoding, receipt encoding against a named peer, reads over a PTY. */
const WIRE_MS = (1295 * 10 * 1000) / 115200; // 1295 bytes, 8N1 (10 bits a byte) at 115200 baud

/** Whole card reads (find → select → read) through the real driver over a PTY. */
async function wholeReads(count: number): Promise<number[]> {
  const sim = await startIdReaderSimulator({ card: 'resident-long-term', haltAfterRead: false });
  const transport = new SerialTransport({ path: sim.devicePath, baudRate: 115200, log: silentLog });
  const opened = await transport.open();
  if (!opened.ok) throw new Error(opened.error.message);
  const driver = new IdCardDriver({ transport, log: silentLog });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const found = await driver.findCard();
      const selected = found.ok ? await driver.selectCard() : found;
      const read = selected.ok ? await driver.readCard() : selected;
      if (!read.ok) throw new Error(`read failed: ${JSON.stringify(read.error)}`);
      samples.push(performance.now() - start);
    }
  } finally {
    driver.dispose();
    await transport.close();
    await sim.stop();
  }
  return samples;
}

export async function benchDrivers(options: { frames: number; reads: number; encodes: number }): Promise<void> {
  section('Devices (issue 4)');
  const decode = benchDecodeFrames(options.frames);
  figure(
    'SAM frame decode (1295-byte card reads, 64-byte chunks)',
    `${Math.round(decode.framesPerSecond).toLocaleString('en')} frames/s, ${decode.megabytesPerSecond.toFixed(1)} MB/s`,
  );

  const encode = await benchReceiptEncoding({ iterations: options.encodes });
  figure(
    'encode a typical receipt, Chinese (own encoder)',
    `${encode.oursChinese.microsPerReceipt.toFixed(1)} µs (${encode.oursChinese.bytes} bytes)`,
  );
  figure('encode the same receipt, ASCII only (own encoder)', `${encode.oursAscii.microsPerReceipt.toFixed(1)} µs`);
  figure(
    '  … @point-of-sale/receipt-printer-encoder, same ASCII receipt',
    `${encode.referenceAscii.microsPerReceipt.toFixed(1)} µs  (ours ${(encode.referenceAscii.microsPerReceipt / encode.oursAscii.microsPerReceipt).toFixed(1)}× faster)`,
  );

  const latency = await benchReadLatency(options.reads);
  figure(
    'reader’s last byte → card-read event (PTY, 115200)',
    `median ${ms(latency.medianMs)}, p95 ${ms(latency.p95Ms)}`,
  );
  const whole = summarize(await wholeReads(options.reads));
  figure(
    'whole read find → select → read (PTY)',
    `median ${ms(whole.p50)} vs wire time ${ms(WIRE_MS)} (${((whole.p50 / WIRE_MS) * 100).toFixed(1)} % of it)`,
  );
  console.log(
    '  (a PTY moves bytes without baud-rate pacing: on a real 115200-baud line the read takes the wire time plus the figures above)',
  );
}
