// Finds where and why JSON text is invalid: V8's JSON.parse messages often omit the position.
export type JsonSyntaxProblem = { readonly line: number; readonly column: number; readonly reason: string };

class SyntaxStop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  const ch = text[at]!;
  return ch === '\n' ? 'a line break' : `"${ch}"`;
}

// A strict recursive-descent scan (RFC 8259) that stops at the first error.
function scan(text: string): void {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new SyntaxStop(at, reason);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) {
      if (text[i + k] !== word[k]) fail(`expected "${word}" but found ${describeChar(text, i + k)}`, i + k);
    }
    i += word.length;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\n') fail('a string is not closed before the end of the line (missing \'"\')');
      if (ch < ' ') fail('a string contains a control character; escape it');
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('"\\u" must be followed by four hex digits');
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) fail(`"\\${next ?? ''}" is not a valid escape`);
        i += 2;
        continue;
      }
      i++;
    }
    fail('a string is not closed (missing \'"\')');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-' || m[0].length === 0) fail(`expected a value but found ${describeChar(text, i)}`);
    i += m![0].length;
  };
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === "'") fail('strings and field names need double quotes ("), not single quotes');
    if (ch !== undefined && /[-0-9]/.test(ch)) return number();
    fail(`expected a value but found ${describeChar(text, i)}`);
  };
  const object = () => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] === '}') fail('remove the trailing comma before "}"');
      if (text[i] !== '"') fail(`expected a field name in double quotes but found ${describeChar(text, i)}`);
      string();
      skipSpace();
      if (text[i] !== ':') fail(`expected ":" after the field name but found ${describeChar(text, i)}`);
      i++;
      value();
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] === '"') fail('a "," is missing between two fields');
      fail(`expected "," or "}" after a field value but found ${describeChar(text, i)}`);
    }
  };
  const array = () => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] === ']') fail('remove the trailing comma before "]"');
      value();
      skipSpace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      if (i < text.length && /["{[\d-tfn]/.test(text[i]!)) fail('a "," is missing between two list items');
      fail(`expected "," or "]" after a list item but found ${describeChar(text, i)}`);
    }
  };
  skipSpace();
  if (i >= text.length) fail('the file is empty; expected a JSON object such as {"bucket": "…"}');
  value();
  skipSpace();
  if (i < text.length) fail(`unexpected ${describeChar(text, i)} after the end of the JSON value`);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// The first syntax error in `text` (1-based line and column), or null when it is valid JSON.
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    scan(body);
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxStop)) throw error;
    return { ...lineAndColumn(body, error.offset), reason: error.reason };
  }
}
