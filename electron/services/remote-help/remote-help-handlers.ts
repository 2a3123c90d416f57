import { err, ok } from '../../../foundation/result';
import type { Handlers } from '../../api/rpc-server';
import type { RemoteHelpService } from './remote-help-service';

/** The remote-help part of the contract (electron/api/remote-help-contract.ts). */
export function createRemoteHelpHandlers(
  service: RemoteHelpService,
): Pick<
  Handlers,
  'remoteHelp.start' | 'remoteHelp.consent' | 'remoteHelp.signal' | 'remoteHelp.end' | 'remoteHelp.helped'
> {
  return {
    'remoteHelp.start': ({ language }) => service.start(language),
    'remoteHelp.consent': async ({ callId, recordingDays }) => {
      const told = await service.consent(callId, recordingDays);
      return told.ok ? ok({}) : err(told.error);
    },
    'remoteHelp.signal': async ({ callId, signal }) => {
      const sent = await service.signal(callId, signal);
      return sent.ok ? ok({}) : err(sent.error);
    },
    'remoteHelp.end': async ({ callId, reason }) => {
      const ended = await service.end(callId, reason);
      return ended.ok ? ok({}) : err(ended.error);
    },
    'remoteHelp.helped': ({ callId }) => {
      const noted = service.helped(callId);
      return noted.ok ? ok({}) : err(noted.error);
    },
  };
}
