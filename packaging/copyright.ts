import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The package's /usr/share/doc/village-kiosk/copyright, in Debian's machine-readable format
 * (copyright-format 1.0). Licences that travel with shipped data are written out in full here,
 * where Debian looks for them: the handwriting templates' Arphic Public License when the renderer
 * build holds them (docs/handwriting.md).
 */
export const arphicLicenceAsset = 'assets/handwriting-templates-ARPHICPL.txt';

/** A licence text as a copyright-format paragraph body: each line indented, blank lines as " .". */
export function licenceBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`))
    .join('\n');
}

export function copyrightFile(options: { installRoot: string; rendererDir: string }): string {
  const { installRoot } = options;
  const stanzas = [
    `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: village-kiosk
Comment: The npm packages under ${installRoot}/app/node_modules keep their own
 licence files beside them.`,
    `Files: *
Copyright: 2026 the county's village-kiosk maintainers
License: proprietary
 Distributed to the county's service-point terminals only.`,
    `Files: ${installRoot.slice(1)}/node/*
Copyright: Node.js contributors and the authors of the components it bundles
License: Expat
 The Node.js runtime is under the MIT (Expat) licence. The licences of the
 third-party components built into it are listed in full in
 ${installRoot}/node/LICENSE.`,
  ];
  const arphic = join(options.rendererDir, arphicLicenceAsset);
  if (existsSync(arphic))
    stanzas.push(`Files: ${installRoot.slice(1)}/app/dist/renderer/assets/handwriting-templates-*
Copyright: 1999 Arphic Technology Co., Ltd.
Comment: The handwriting templates are stroke medians from the hanzi-writer-data
 package, extracted by the Make Me a Hanzi project from Arphic's fonts.
License: Arphic-1999
${licenceBody(readFileSync(arphic, 'utf8'))}`);
  return `${stanzas.join('\n\n')}\n`;
}
