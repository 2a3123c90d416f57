import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countyTopicFilter, parseTopic, terminalTopic, topicKinds } from './fleet-topics';

const id = (min: number) => fc.stringMatching(new RegExp(`^[a-z0-9-]{${min},40}$`));

describe('fleet topics', () => {
  it('names and parses every kind', () => {
    const address = { county: 'qingshan', terminal: 'QS-LX-0001' };
    expect(terminalTopic(address, 'cmd/reply')).toBe('vk/v1/qingshan/QS-LX-0001/cmd/reply');
    for (const kind of topicKinds) expect(parseTopic(terminalTopic(address, kind))).toEqual({ ...address, kind });
    expect(countyTopicFilter('qingshan', 'state')).toBe('vk/v1/qingshan/+/state');
  });

  it('round-trips any valid address', () => {
    fc.assert(
      fc.property(id(2), id(3), fc.constantFrom(...topicKinds), (county, terminal, kind) => {
        expect(parseTopic(terminalTopic({ county, terminal }, kind))).toEqual({ county, terminal, kind });
      }),
    );
  });

  it('refuses foreign, wildcard and malformed topics without throwing', () => {
    for (const topic of [
      '',
      'vk/v2/a/b/state',
      'vk/v1/qs/+/state',
      'vk/v1/qs/T#1/state',
      'vk/v1/qs/T-1/other',
      'vk/v1/qs',
    ])
      expect(parseTopic(topic)).toBeNull();
    fc.assert(fc.property(fc.string(), (topic) => void parseTopic(topic)));
  });
});
