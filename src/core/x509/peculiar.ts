// The one module that loads @peculiar/x509. The library needs the Reflect metadata polyfill
// before it is evaluated and a WebCrypto provider; both are set here and nowhere else.
// Heavy: import it lazily (await import) from anything on the activation path.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509, webcrypto };
