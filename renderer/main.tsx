import { render } from 'preact';
import { connectKiosk } from './api/kiosk-client';
import { App } from './app';

/** Boot: connect to the services, fetch what the first screen needs, render. */
async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  const client = connectKiosk();
  const [info, catalogue] = await Promise.all([client.call('kiosk.info', {}), client.call('catalogue.get', {})]);
  document.documentElement.lang = info.defaultLanguage;
  render(<App client={client} info={info} catalogue={catalogue} />, root);
}

void boot();
