// Types for ipp-encoder (MIT, no declarations of its own): the parts drivers/a4-printer uses.
declare module 'ipp-encoder' {
  export type IppValue = string | number | boolean | Date | { lang: string; value: string };
  export interface IppAttribute {
    tag: number;
    name: string;
    value: IppValue[];
  }
  export interface IppGroup {
    tag: number;
    attributes: IppAttribute[];
  }
  export interface IppRequest {
    version?: { major: number; minor: number };
    operationId: number;
    requestId: number;
    groups: IppGroup[];
  }
  export interface IppResponse {
    version: { major: number; minor: number };
    statusCode: number;
    requestId: number;
    groups: IppGroup[];
  }
  interface Codec<T> {
    encode(obj: T): Buffer;
    decode(buf: Buffer, start?: number, end?: number): T;
  }
  const ipp: { request: Codec<IppRequest>; response: Codec<IppResponse> };
  // eslint-disable-next-line no-restricted-syntax -- describes the package's CommonJS module.exports
  export default ipp;
}
