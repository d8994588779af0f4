"""Envs with Gymnasium's API in pure Python (no gymnasium, no numpy), for the tests of Proxima's Gymnasium bridge.

Made through the bridge's `module:Callable` ids, e.g. GymEnv.python("fake_envs:Counter").pythonPath(<this folder>).
"""

import os
import random
import sys
import time


class Box:
    def __init__(self, low, high, shape):
        self.low, self.high, self.shape = low, high, shape


class Discrete:
    def __init__(self, n, start=0):
        self.n, self.start = n, start


class Dict:
    """Stands for a space the bridge does not carry."""


class Counter:
    """obs = [t, last action, u], u uniform from the env's seeded stream; reward = action + t / 2; terminates at t =
    length (a reset continues the stream, so episodes differ)."""

    def __init__(self, length=5, n=3, start=0):
        self.length = length
        self.observation_space = Box([-1e3] * 3, [1e3] * 3, (3,))
        self.action_space = Discrete(n, start)
        self.rng = random.Random(0)
        self.t = 0

    def reset(self, seed=None, options=None):
        if seed is not None:
            self.rng = random.Random(seed)
        self.t = 0
        return [0.0, 0.0, self.rng.random()], {}

    def step(self, action):
        if not isinstance(action, int):
            raise TypeError("action %r is not an int" % (action,))
        self.t += 1
        obs = [float(self.t), float(action), self.rng.random()]
        return obs, float(action) + self.t / 2, self.t >= self.length, False, {"t": self.t}

    def close(self):
        pass


class SeedEcho(Counter):
    """The observation is the seed of the last reset in four 16-bit pieces, high first (-1 if unseeded)."""

    def __init__(self):
        super().__init__()
        self.observation_space = Box([-1.0] * 4, [65535.0] * 4, (4,))

    def reset(self, seed=None, options=None):
        if seed is None:
            return [-1.0] * 4, {}
        return [float((seed >> s) & 0xFFFF) for s in (48, 32, 16, 0)], {}


class Matrix:
    """Box observation of shape (2, 3) as nested lists, Box action of shape (2, 2): obs row r = action row r summed,
    times (1, 2, 3) plus 10 * step; truncates after 4 steps; reward = sum of the action."""

    def __init__(self):
        self.observation_space = Box([[-1e6] * 3] * 2, [[1e6] * 3] * 2, (2, 3))
        self.action_space = Box([[-1.0, -2.0], [-3.0, -4.0]], [[1.0, 2.0], [3.0, 4.0]], (2, 2))
        self.t = 0

    def reset(self, seed=None, options=None):
        self.t = 0
        return [[0.0] * 3, [0.0] * 3], {}

    def step(self, action):
        assert len(action) == 2 and len(action[0]) == 2, action
        self.t += 1
        obs = [[sum(row) * k + 10 * self.t for k in (1, 2, 3)] for row in action]
        return obs, float(sum(sum(row) for row in action)), False, self.t >= 4, {}

    def close(self):
        pass


class DiscreteObs(Counter):
    """A Discrete(5, start=2) observation: 2 + t % 5."""

    def __init__(self):
        super().__init__(length=1000)
        self.observation_space = Discrete(5, 2)

    def reset(self, seed=None, options=None):
        super().reset(seed)
        return 2, {}

    def step(self, action):
        _, r, term, trunc, info = super().step(action)
        return 2 + self.t % 5, r, term, trunc, info


class Crash(Counter):
    """Raises on the given step."""

    def __init__(self, at=3):
        super().__init__(length=100)
        self.at = at

    def step(self, action):
        if self.t + 1 == self.at:
            raise ValueError("boom at step %d" % self.at)
        return super().step(action)


class Hang(Counter):
    """Never answers a step."""

    def step(self, action):
        time.sleep(3600)


class Exit(Counter):
    """Says goodbye on stderr and exits the process on the first step."""

    def step(self, action):
        print("fake_envs.Exit: dying now", file=sys.stderr, flush=True)
        os._exit(7)


class Chatty(Counter):
    """Prints to stdout, through Python and straight to file descriptor 1, on every reset and step."""

    def reset(self, seed=None, options=None):
        print("resetting with seed", seed)
        return super().reset(seed)

    def step(self, action):
        print("stepping with", action, flush=True)
        os.write(1, b"raw bytes on fd 1\n")
        return super().step(action)


class Unsupported(Counter):
    def __init__(self):
        super().__init__()
        self.observation_space = Dict()


class CloseFails(Counter):
    def close(self):
        raise RuntimeError("cannot close")


class Cue:
    """A contextual bandit: obs = [cue, noise] with cue = +1 or -1; reward 1 when the action is 1 for +1 and 0 for -1;
    episodes of 8 steps, truncated. A random policy earns 0.5 per step, the best 1."""

    def __init__(self):
        self.observation_space = Box([-2.0, -2.0], [2.0, 2.0], (2,))
        self.action_space = Discrete(2)
        self.rng = random.Random(0)
        self.t = 0

    def draw(self):
        self.cue = 1.0 if self.rng.random() < 0.5 else -1.0
        return [self.cue, self.rng.random() - 0.5]

    def reset(self, seed=None, options=None):
        if seed is not None:
            self.rng = random.Random(seed)
        self.t = 0
        return self.draw(), {}

    def step(self, action):
        right = (action == 1) == (self.cue > 0)
        self.t += 1
        return self.draw(), 1.0 if right else 0.0, False, self.t >= 8, {}

    def close(self):
        pass
