// simple-keyboard ships its modern ES build without a declaration of its own; it is the same API.
declare module 'simple-keyboard/build/index.modern.esm.js' {
  export { SimpleKeyboard } from 'simple-keyboard/build/index.modern';
}
