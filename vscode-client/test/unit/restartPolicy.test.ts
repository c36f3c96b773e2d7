import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../src/restartPolicy';

describe('RestartPolicy', () => {
  it('backs off exponentially, then gives up after maxRestarts crashes in the window', () => {
    const policy = new RestartPolicy(3, 60_000, 1000);
    assert.equal(policy.onCrash(0), 1000);
    assert.equal(policy.onCrash(1000), 2000);
    assert.equal(policy.onCrash(3000), 4000);
    assert.equal(policy.onCrash(7000), undefined);
    assert.equal(policy.recentCrashes, 4);
  });

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy(2, 10_000, 500);
    assert.equal(policy.onCrash(0), 500);
    assert.equal(policy.onCrash(1000), 1000);
    assert.equal(policy.onCrash(20_000), 500);
  });

  it('starts over after reset (a restart the user asked for)', () => {
    const policy = new RestartPolicy(1, 60_000, 100);
    assert.equal(policy.onCrash(0), 100);
    assert.equal(policy.onCrash(1), undefined);
    policy.reset();
    assert.equal(policy.onCrash(2), 100);
  });
});
