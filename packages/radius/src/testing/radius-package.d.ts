// Types for the parts of the `radius` npm package (1.1.4, untyped CommonJS) that the
// differential specs use as an oracle. Only what the specs call is declared.
declare module 'radius' {
  type Attributes = unknown[][] | Record<string, unknown>;

  interface EncodeArgs {
    code: string;
    identifier?: number;
    authenticator?: Buffer;
    attributes?: Attributes;
    secret: string;
    add_message_authenticator?: boolean;
  }

  interface Decoded {
    code: string;
    identifier: number;
    length: number;
    authenticator: Buffer;
    attributes: Record<string, unknown>;
    raw_attributes: [number, Buffer][];
  }

  const radius: {
    encode(args: EncodeArgs): Buffer;
    encode_response(args: { packet: Decoded; code: string; secret: string; attributes?: Attributes }): Buffer;
    decode(args: { packet: Buffer; secret: string; no_secret?: boolean }): Decoded;
    verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
    add_dictionary(path: string): void;
    unload_dictionaries(): void;
    load_dictionaries(): void;
  };
  export default radius;
}
