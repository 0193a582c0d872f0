// Where Go's encoding/json stops decoding a []byte field: the demo cluster words its base64 errors
// as the real API server does.
import { strict as assert } from 'node:assert';
import { goBase64ErrorOffset } from '../../../tools/demo-cluster/goBase64';

describe('goBase64ErrorOffset', () => {
  it('matches Go 1.23 encoding/json []byte decoding (offsets taken from Go)', () => {
    // Each expected value was printed by Go 1.23's json.Unmarshal into a []byte field.
    const cases: [string, number | undefined][] = [
      ['', undefined],
      ['eQ==', undefined],
      ['eQ=*', 2],
      ['eQ', 0],
      ['e', 0],
      ['abc', 0],
      ['ab=c', 2],
      ['YWJj\nZGVm', undefined],
      ['YWJj ZGVm', 4],
      ['YW=j', 2],
      ['YWJjZA==YQ', 8],
      ['YWJjZA==\n', undefined],
      ['Y\r\nWJj', undefined],
      ['=abc', 0],
      ['YWJjZA=', 7],
      ['é', 0],
    ];
    for (const [input, expected] of cases)
      assert.equal(goBase64ErrorOffset(input), expected, JSON.stringify(input));
  });
});
