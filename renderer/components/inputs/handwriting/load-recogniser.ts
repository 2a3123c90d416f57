import { createRecogniser, type Recogniser } from './recogniser';
import { decodeTemplateSet } from './template-set';

/**
 * The recogniser over the 3,500 templates, made once on first use. The templates are their own
 * chunk (the virtual module the build writes), fetched only when a handwriting pad first opens.
 * A failed fetch is forgotten, so the next call tries again.
 */
let loading: Promise<Recogniser> | null = null;

export function loadRecogniser(): Promise<Recogniser> {
  loading ??= import('virtual:handwriting-templates').then(({ templatesBase64 }) => {
    const decoded = decodeTemplateSet(Uint8Array.from(atob(templatesBase64), (c) => c.charCodeAt(0)));
    if (!decoded.ok) throw new Error(`handwriting templates: ${decoded.error}`);
    return createRecogniser(decoded.value);
  });
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
