import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import './inputs.css';

/**
 * Wraps a heavy widget (keyboard dictionary, camera, QR decoder) so its code and CSS load only
 * when a screen first shows it; the first screens stay within the bundle budget. Shows a plain
 * "opening" line meanwhile and a retry button if the chunk cannot load.
 */
export function lazyWidget<P extends object>(
  name: string,
  load: () => Promise<ComponentType<P>>,
): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | null = null;
  function LazyWidget(props: P) {
    const { t } = useI18n();
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded !== null) return undefined;
      let live = true;
      load().then(
        (found) => {
          loaded = found;
          if (live) setComponent(() => found);
        },
        () => {
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (component !== null) {
      const Widget = component;
      return <Widget {...props} />;
    }
    if (failed) {
      return (
        <div class="widget-failed" role="alert" data-testid={`${name}-failed`}>
          <p>{t('widget.loadFailed')}</p>
          <button
            type="button"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            {t('widget.retry')}
          </button>
        </div>
      );
    }
    return (
      <div class="widget-loading" role="status" data-testid={`${name}-loading`}>
        {t('widget.loading')}
      </div>
    );
  }
  return LazyWidget;
}
