export * from './cbor';
