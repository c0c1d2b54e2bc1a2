// The Settings form's translation to the workspace schema, and error text placed on the field it names.
import { describe, expect, it } from 'vitest';
import { configFromForm, fieldSummary, formFromConfig, sortProblems } from '../../../renderer/src/screens/settings/form-model.ts';
import { describeConfigIssues, WorkspaceConfigSchema } from '../../../shared/config.ts';

describe('configFromForm', () => {
  it('leaves empty optional fields out so the core applies its defaults, and splits the Prodigy command', () => {
    const form = { ...formFromConfig({}), bucket: ' team ', annotator: 'maria.k', region: 'emea', dataDir: '/data' };
    expect(configFromForm(form)).toEqual({ bucket: 'team', prefix: '', awsRegion: 'us-east-1', forcePathStyle: false, annotator: 'maria.k', region: 'emea', dataDir: '/data' });
    const withCommand = configFromForm({ ...form, prodigyCommand: '  /opt/venv/bin/python   -m prodigy ', profile: 'team-emea', endpoint: 'http://127.0.0.1:9000' });
    expect(withCommand).toMatchObject({ prodigyCommand: ['/opt/venv/bin/python', '-m', 'prodigy'], profile: 'team-emea', endpoint: 'http://127.0.0.1:9000' });
    expect(WorkspaceConfigSchema.safeParse(withCommand).success).toBe(true);
  });

  it('round-trips a saved config through the form', () => {
    const config = WorkspaceConfigSchema.parse({ bucket: 'team', annotator: 'a', region: 'apac', dataDir: '/d', prodigyCommand: ['python3', '-m', 'prodigy'], forcePathStyle: true });
    expect(WorkspaceConfigSchema.parse(configFromForm(formFromConfig(config)))).toEqual(config);
  });
});

describe('sortProblems', () => {
  it('places the core request-validation message on each field it names', () => {
    const message = 'The request for "config.save" is not valid: config.region: a team region such as "emea" (lower case, digits, "-"); config.dataDir: Too small: expected string to have >=1 characters; config.prodigyCommand.0: Too small: expected string to have >=1 characters';
    const sorted = sortProblems([message]);
    expect(sorted.general).toEqual([]);
    expect(sorted.fields).toEqual({
      region: ['Should be a team region such as "emea" (lower case, digits, "-")'],
      dataDir: ['Required.'],
      prodigyCommand: ['Required.'],
    });
    expect(fieldSummary(sorted.fields)).toBe('check Team region, Data folder and Prodigy command');
  });

  it('places file problems from describeConfigIssues, and keeps the rest general', () => {
    const parsed = WorkspaceConfigSchema.safeParse({ bucket: 'team', awsRegion: 'Frankfurt', annotator: 'a', region: 'emea', dataDir: '/d', colour: 'blue' });
    if (parsed.success) throw new Error('expected the config to be invalid');
    const sorted = sortProblems(describeConfigIssues(parsed.error));
    expect(sorted.fields.awsRegion).toEqual(['Should be an AWS region such as eu-west-1']);
    expect(sorted.general).toHaveLength(1);
    expect(sorted.general[0]).toContain('unknown field "colour"');
  });
});
