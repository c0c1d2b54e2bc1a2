// Locating JSON syntax errors, since V8's messages often give no position.
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxProblem } from '../../../electron/config/json-syntax.ts';

describe('findJsonSyntaxProblem', () => {
  it('finds nothing wrong in valid JSON, including a BOM', () => {
    for (const text of ['{}', '[1, 2.5e3, -0, "a\\u00e9\\n", true, false, null]', '\uFEFF{"a": {"b": []}}\n']) expect(findJsonSyntaxProblem(text)).toBeNull();
  });

  it.each([
    ['{"a": }', 1, 7, 'expected a value but found "}"'],
    ['{"a": 1,}', 1, 9, 'remove the trailing comma before "}"'],
    ['{"a" 1}', 1, 6, 'expected ":" after the field name but found "1"'],
    ['{\n  "a": "x\n}', 2, 10, 'a string is not closed before the end of the line'],
    ['', 1, 1, 'the file is empty'],
    ['{"a": 1} x', 1, 10, 'unexpected "x" after the end of the JSON value'],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['{"a": tru}', 1, 10, 'expected "true" but found "}"'],
    ['[1,2', 1, 5, 'expected "," or "]" after a list item but found the end of the file'],
    ['{"a":"\\q"}', 1, 7, '"\\q" is not a valid escape'],
    ['{"a": 1\n "b": 2}', 2, 2, 'a "," is missing between two fields'],
    ['[1 2]', 1, 4, 'a "," is missing between two list items'],
    ['{"a": 01}', 1, 8, 'expected "," or "}" after a field value but found "1"'],
  ])('%j → line %i, column %i', (text, line, column, reason) => {
    const problem = findJsonSyntaxProblem(text);
    expect(problem).toMatchObject({ line, column });
    expect(problem?.reason).toContain(reason);
  });

  it('agrees with JSON.parse on what is invalid', () => {
    for (const text of ['{"a":1}', '{"a":1,}', '[]', '[,]', '"x"', '1.', '-', '{"a":[1,{"b":null}]}', 'nul']) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonSyntaxProblem(text) === null, text).toBe(parses);
    }
  });
});
