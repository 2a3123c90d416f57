/**
 * A kiosk process for the restart-mid-print test: it saves one application and asks for its first
 * receipt copy on the printer at PORT (a simulator in the parent), which kills it with SIGKILL the
 * moment the printer has taken the copy — before the kiosk hears back.
 */
import { silentLog } from '../../foundation/log';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { applyForAllowance } from './services-fixture';
import { printerAtPort } from './print-crash';

const [dataDir, port] = process.argv.slice(2);
if (dataDir === undefined || port === undefined) throw new Error('usage: print-crash-child DATA PORT');
const started = await startKioskServices({
  config: printerAtPort(Number(port)),
  dataDir,
  log: silentLog,
  caseNumberWaitMs: 0,
});
if (!started.ok) throw new Error(started.error.message);
const services = started.value;
const { applicationId } = await applyForAllowance(services);
process.stdout.write(`PRINTING ${applicationId}\n`);
const printed = await services.receipts.print(applicationId, { reprint: false, actor: 'resident' });
// Reached only if the parent did not kill us: it says so.
process.stdout.write(`ANSWERED ${JSON.stringify(printed)}\n`);
await services.close();
