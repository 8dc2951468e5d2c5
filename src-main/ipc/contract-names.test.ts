import { describe, expect, it } from 'vitest';
import { channelNames, eventNames } from '../../src-shared/contract';
import { channelNameList, eventNameList } from '../../src-shared/contract/names';

describe('plain channel and event names (used by the preload)', () => {
  it('match the contract exactly — a new channel must be added to src-shared/contract/names.ts', () => {
    expect([...channelNameList].sort()).toEqual([...channelNames].sort());
    expect([...eventNameList].sort()).toEqual([...eventNames].sort());
  });
});
