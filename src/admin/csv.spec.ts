import { csvField, csvLine } from './csv.js';

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    // Numbers are numbers, not text: a negative one stays as is.
    expect(csvField(-2)).toBe('-2');
  });

  it('writes empty fields for null, ISO times for dates, and CRLF line ends', () => {
    expect(csvLine([1, null, undefined, new Date('2026-01-02T03:04:05.000Z'), 'x'])).toBe('1,,,2026-01-02T03:04:05.000Z,x\r\n');
  });
});
