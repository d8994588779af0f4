"""The trivial Python env of GymBridgeBench: the bridge's own cost per step, with almost nothing inside the env."""


class Box:
    def __init__(self, low, high, shape):
        self.low, self.high, self.shape = low, high, shape


class Discrete:
    def __init__(self, n, start=0):
        self.n, self.start = n, start


class Trivial:
    """obs = 4 floats, Discrete(2) actions, reward 1, truncated every 200 steps."""

    def __init__(self):
        self.observation_space = Box([-10.0] * 4, [10.0] * 4, (4,))
        self.action_space = Discrete(2)
        self.obs = [0.1, -0.2, 0.3, -0.4]
        self.t = 0

    def reset(self, seed=None, options=None):
        self.t = 0
        return self.obs, {}

    def step(self, action):
        self.t += 1
        return self.obs, 1.0, False, self.t >= 200, {}

    def close(self):
        pass
