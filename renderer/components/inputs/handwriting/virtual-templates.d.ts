/** Written at build time by vite-plugins/handwriting-templates.ts: the template set, base64. */
declare module 'virtual:handwriting-templates' {
  export const templatesBase64: string;
}
