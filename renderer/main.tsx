import { render } from 'preact';
import { connectKiosk } from './api/kiosk-client';
import { App } from './app';

/** Boot: connect to the services, fetch what the first screen needs, render. */
async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  const client = connectKiosk();
  // Both calls always answer once the services are up; until then (a slow start) ask again.
  for (;;) {
    const [info, catalogue] = await Promise.all([client.call('kiosk.info', {}), client.call('catalogue.get', {})]);
    if (info.ok && catalogue.ok) {
      document.documentElement.lang = info.value.defaultLanguage;
      render(<App client={client} info={info.value} catalogue={catalogue.value} />, root);
      return;
    }
    await new Promise((retry) => setTimeout(retry, 1000));
  }
}

void boot();
