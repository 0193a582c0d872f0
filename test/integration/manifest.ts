// Facts from package.json the suites need, readable from the extension host and from the runner.
import manifest from '../../package.json';

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
