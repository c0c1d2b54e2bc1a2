// The argv Ferry gives Prodigy for each recipe, in the positional order each recipe declares.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteSource, buildRecipeArgs } from '../../../electron/prodigy/recipe-args.ts';

describe('buildRecipeArgs', () => {
  it('textcat.manual DATASET SOURCE --label A,B, with extra args last', () => {
    expect(buildRecipeArgs({ recipe: 'textcat.manual', dataset: 'news', source: '/data/t.jsonl', labels: ['A', 'B'], extraArgs: ['--exclusive'] })).toEqual([
      'textcat.manual', 'news', '/data/t.jsonl', '--label', 'A,B', '--exclusive',
    ]);
  });

  it('ner.manual and spans.manual take a model (blank:en unless given) before the source', () => {
    expect(buildRecipeArgs({ recipe: 'ner.manual', dataset: 'ents', source: '/d/t.jsonl', labels: ['PERSON'] })).toEqual(['ner.manual', 'ents', 'blank:en', '/d/t.jsonl', '--label', 'PERSON']);
    expect(buildRecipeArgs({ recipe: 'spans.manual', dataset: 's', model: 'en_core_web_sm', source: '/d/t.jsonl', labels: ['X', 'Y'] })).toEqual([
      'spans.manual', 's', 'en_core_web_sm', '/d/t.jsonl', '--label', 'X,Y',
    ]);
  });

  it('image.manual and audio.manual: DATASET SOURCE --label', () => {
    expect(buildRecipeArgs({ recipe: 'image.manual', dataset: 'img', source: '/cache/images', labels: ['CAR'] })).toEqual(['image.manual', 'img', '/cache/images', '--label', 'CAR']);
    expect(buildRecipeArgs({ recipe: 'audio.manual', dataset: 'aud', source: '/cache/audio', labels: ['SPEECH', 'NOISE'] })).toEqual([
      'audio.manual', 'aud', '/cache/audio', '--label', 'SPEECH,NOISE',
    ]);
  });

  it('review OUT IN_SETS, labels optional', () => {
    expect(buildRecipeArgs({ recipe: 'review', dataset: 'news-reviewed', source: 'news-alice,news-bob', labels: [], extraArgs: ['--view-id', 'choice'] })).toEqual([
      'review', 'news-reviewed', 'news-alice,news-bob', '--view-id', 'choice',
    ]);
  });

  it('a relative source becomes absolute (Prodigy runs in PRODIGY_HOME); stdin, dataset: and URLs stay as they are', () => {
    expect(buildRecipeArgs({ recipe: 'textcat.manual', dataset: 'n', source: 'tasks.jsonl', labels: ['A'] })[2]).toBe(resolve('tasks.jsonl'));
    expect(absoluteSource('-')).toBe('-');
    expect(absoluteSource('dataset:news')).toBe('dataset:news');
    expect(absoluteSource('https://example.com/t.jsonl')).toBe('https://example.com/t.jsonl');
  });

  it('a label with a comma, or no labels for a manual recipe → invalid-request naming it', () => {
    expect(() => buildRecipeArgs({ recipe: 'textcat.manual', dataset: 'n', source: '/t', labels: ['A,B'] })).toThrow(/"A,B".*comma/);
    expect(() => buildRecipeArgs({ recipe: 'ner.manual', dataset: 'n', source: '/t', labels: [] })).toThrow(/needs at least one label/);
  });
});
