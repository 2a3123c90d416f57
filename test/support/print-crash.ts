import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { PrinterSimulator } from '../../drivers/printer/printer-simulator';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { repoRoot } from './kiosk-process';
import { noDevicesConfig } from './services-fixture';

/** No devices but the receipt printer, reached over TCP (a simulator the test keeps across kiosk restarts). */
export function printerAtPort(port: number): KioskConfig {
  return {
    ...noDevicesConfig,
    devices: { ...noDevicesConfig.devices, printer: { kind: 'tcp', host: '127.0.0.1', port } },
  };
}

/**
 * Runs print-crash-child.ts on `dataDir` and kills it with SIGKILL the moment `printer` has taken
 * the first copy; answers the application it printed for.
 */
export function printThenCrash(dataDir: string, printer: PrinterSimulator): Promise<string> {
  const port = printer.tcp?.port;
  if (port === undefined) throw new Error('the printer simulator must listen on TCP');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test/support/print-crash-child.ts'), dataDir, String(port)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const stop = printer.onReceipt(() => child.kill('SIGKILL'));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      stop();
      const applicationId = /^PRINTING (\S+)$/m.exec(stdout)?.[1];
      if (signal === 'SIGKILL' && applicationId !== undefined) resolve(applicationId);
      else reject(new Error(`print-crash child exited ${code ?? signal}: ${stdout}${stderr.slice(-2000)}`));
    });
  });
}
