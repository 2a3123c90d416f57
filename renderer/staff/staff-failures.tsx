import type { ComponentChildren } from 'preact';
import type { MethodName, ResultOf } from '../../electron/api/contract';
import type { CallFailure, Unavailable } from '../api/kiosk-client';
import { useI18n, type Translate } from '../i18n/i18n';
import type { Loaded } from './use-staff-call';

/** What every staff and technician call may answer besides its own failures. */
export type StaffRefusal = { readonly kind: 'not-allowed' } | Unavailable;

export function staffRefusalText(failure: StaffRefusal, t: Translate): string {
  switch (failure.kind) {
    case 'not-allowed':
      // Signed out or timed out on the service side; the staff.changed event closes the screen too.
      return t('staff.sessionEnded');
    case 'unavailable':
      return t('staff.unavailable');
  }
}

/** A staff view whose data could not be loaded, and why. */
export function LoadFailure({ failure }: { failure: StaffRefusal }) {
  const { t } = useI18n();
  return (
    <p class="field-error" role="status">
      {staffRefusalText(failure, t)}
    </p>
  );
}

/** The calls whose only refusals are the staff ones: what staff views load. */
export type StaffRead = { [M in MethodName]: CallFailure<M> extends StaffRefusal ? M : never }[MethodName];

/** Shows a staff view once its data is there: loading, the failure in words, or the view itself. */
export function WhenLoaded<M extends StaffRead>({
  loaded,
  children,
}: {
  loaded: Loaded<M>;
  children: (data: ResultOf<M>) => ComponentChildren;
}) {
  const { t } = useI18n();
  switch (loaded.status) {
    case 'loading':
      return <p>{t('staff.loading')}</p>;
    case 'failed':
      return <LoadFailure failure={loaded.failure} />;
    case 'loaded':
      return <>{children(loaded.data)}</>;
  }
}
