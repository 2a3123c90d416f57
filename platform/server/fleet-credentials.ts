/**
 * Broker accounts for terminals, issued at enrolment: a fresh random secret per terminal (a
 * re-enrolment replaces it), its hash written to the county broker's Mosquitto password file, and
 * the broker told to reread it. The clear secret goes only to the enrolling terminal, in the answer.
 */
import { readFileSync } from 'node:fs';
import type { FleetCredentials } from '../contract/api-schemas';
import { newBrokerSecret, upsertPasswords } from '../../fleet/broker/mosquitto-passwords';

export interface FleetCredentialIssuer {
  issue(terminalId: string): FleetCredentials;
}

export function mosquittoPasswordFileIssuer(options: {
  readonly passwordFile: string;
  /** A file holding the broker's process id, signalled (SIGHUP) to reread the password file. */
  readonly brokerPidFile?: string;
}): FleetCredentialIssuer {
  return {
    issue(terminalId) {
      const password = newBrokerSecret();
      upsertPasswords(options.passwordFile, new Map([[terminalId, password]]));
      if (options.brokerPidFile !== undefined) {
        try {
          const pid = Number(readFileSync(options.brokerPidFile, 'utf8').trim());
          if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGHUP');
        } catch {
          // No broker running yet: it reads the file when it starts.
        }
      }
      return { username: terminalId, password };
    },
  };
}
