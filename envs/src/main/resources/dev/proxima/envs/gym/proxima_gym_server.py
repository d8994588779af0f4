"""Proxima's Gymnasium bridge: serves Python envs to a JVM over stdin/stdout.

Started by dev.proxima.envs.gym.GymEnv as `python -c <bootstrap>`; the bootstrap reads this file's source as the first
frame of stdin and runs it. Standard library only; numpy and gymnasium are imported when an env needs them. The
protocol is documented in docs/gym-bridge.md of the Proxima repository:

  frame    = u32 length, payload (little-endian throughout)
  request  = u8 op, fields;  reply = u8 status (0 ok, 1 error), fields
  error    = str exception type, str traceback, i32 slot (-1 if none)
  str      = u32 byte length, UTF-8 bytes
  HELLO    (sent first, unasked): u32 protocol version, str python version, str executable
  MAKE  1  str id, str kwargs JSON  -> u32 slot, space obs, space action, i32 max_episode_steps (-1 none),
                                       f64 reward_threshold (NaN none), str description
  RESET 2  u32 slot, u8 has_seed, u64 seed -> obs
  STEP  3  u8 autoreset, u32 n, n x (u32 slot, action) -> n x (f64 reward, u8 flags, obs[, obs after reset])
           flags: 1 terminated, 2 truncated, 4 the env was reset (autoreset and the episode ended)
  CLOSE 4  u32 slot -> (nothing)
  space    = u8 1 (Box): u32 ndim, u32 shape[ndim], f32 low[n], f32 high[n] | u8 2 (Discrete): i64 n, i64 start
  obs, action = Box: f32[n] (C order) | Discrete: i64
The process exits when stdin closes.
"""

import importlib
import json
import os
import struct
import sys
import traceback

PROTOCOL_VERSION = 1

OP_MAKE, OP_RESET, OP_STEP, OP_CLOSE = 1, 2, 3, 4
BOX, DISCRETE = 1, 2
TERMINATED, TRUNCATED, RESET_FOLLOWS = 1, 2, 4

U32 = struct.Struct("<I")
I32 = struct.Struct("<i")
I64 = struct.Struct("<q")
U64 = struct.Struct("<Q")
F64 = struct.Struct("<d")
STEP_HEAD = struct.Struct("<dB")


class Fail(Exception):
    """An error about a request (not raised by the env itself); its message is the whole report."""


def is_numpy(x):
    return type(x).__module__ == "numpy"


class Space:
    """A Box or Discrete space as the JVM sees it, with the encoders of its elements."""

    def __init__(self, space, what):
        self.space = space
        kind = type(space).__name__
        if kind == "Box":
            self.kind = BOX
            self.shape = tuple(int(d) for d in space.shape)
            self.size = 1
            for d in self.shape:
                self.size *= d
            self.numpy = is_numpy(space.low)
            self.fmt = struct.Struct("<%df" % self.size)
        elif kind == "Discrete":
            self.kind = DISCRETE
            self.n = int(space.n)
            self.start = int(getattr(space, "start", 0))
        else:
            raise Fail("the %s space %r (%s) is not supported: the bridge carries Box and Discrete spaces. Wrap the "
                       "env so that it has one, e.g. gymnasium.wrappers.FlattenObservation for a Dict or Tuple "
                       "observation." % (what, space, type(space).__module__ + "." + kind))

    def describe(self):
        if self.kind == DISCRETE:
            return bytes([DISCRETE]) + I64.pack(self.n) + I64.pack(self.start)
        out = [bytes([BOX]), U32.pack(len(self.shape))]
        out += [U32.pack(d) for d in self.shape]
        out.append(self.floats(self.space.low, "low bound"))
        out.append(self.floats(self.space.high, "high bound"))
        return b"".join(out)

    def floats(self, x, what):
        """x (an array of this shape, a nested list or a scalar bound) as little-endian float32."""
        if is_numpy(x):
            import numpy as np
            a = np.asarray(x, dtype="<f4")
            if a.size == 1 and self.size != 1:
                a = np.broadcast_to(a, self.shape)
            if a.size != self.size:
                raise Fail("%s has %d values but the Box has shape %s" % (what, a.size, self.shape))
            return a.tobytes()
        flat = flatten(x)
        if len(flat) == 1 and self.size != 1:
            flat = flat * self.size
        if len(flat) != self.size:
            raise Fail("%s has %d values but the Box has shape %s" % (what, len(flat), self.shape))
        return self.fmt.pack(*flat)

    def encode(self, x):
        if self.kind == DISCRETE:
            return I64.pack(int(x))
        return self.floats(x, "the observation")

    def decode(self, buf, pos):
        """An action from buf at pos, and the position after it."""
        if self.kind == DISCRETE:
            return I64.unpack_from(buf, pos)[0], pos + 8
        end = pos + 4 * self.size
        if self.numpy:
            import numpy as np
            a = np.frombuffer(buf, dtype="<f4", count=self.size, offset=pos).reshape(self.shape).copy()
            return a.astype(self.space.dtype, copy=False) if hasattr(self.space, "dtype") else a, end
        flat = list(self.fmt.unpack_from(buf, pos))
        return (flat if len(self.shape) <= 1 else nest(flat, self.shape)), end


def flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(flatten(v))
        return out
    return [float(x)]


def nest(flat, shape):
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0]
    return [nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


class Slot:
    def __init__(self, env, description, max_steps, threshold):
        self.env = env
        self.obs = Space(env.observation_space, "observation")
        self.act = Space(env.action_space, "action")
        self.description = description
        self.max_steps = max_steps
        self.threshold = threshold


def make_env(env_id, kwargs):
    """`module:Callable` calls that callable (no gymnasium needed); anything else is gymnasium.make(env_id)."""
    module, sep, attr = env_id.partition(":")
    if sep and attr and all(p.isidentifier() for p in attr.split(".")):
        obj = importlib.import_module(module)
        for p in attr.split("."):
            obj = getattr(obj, p)
        env = obj(**kwargs)
        spec = getattr(env, "spec", None)
        return env, env_id, getattr(spec, "max_episode_steps", None), getattr(spec, "reward_threshold", None)
    import gymnasium
    env = gymnasium.make(env_id, **kwargs)
    return (env, "gymnasium %s %s" % (gymnasium.__version__, env_id), env.spec.max_episode_steps,
            env.spec.reward_threshold)


class Server:
    def __init__(self, inp, out):
        self.inp = inp
        self.out = out
        self.slots = {}
        self.next_slot = 0

    def send(self, payload):
        self.out.write(U32.pack(len(payload)))
        self.out.write(payload)
        self.out.flush()

    def serve(self):
        self.send(b"\0" + U32.pack(PROTOCOL_VERSION) + string(sys.version.split()[0]) + string(sys.executable))
        while True:
            head = self.inp.read(4)
            if len(head) < 4:
                return
            (length,) = U32.unpack(head)
            buf = self.inp.read(length)
            if len(buf) < length:
                return
            self.current = -1
            try:
                reply = self.handle(buf)
            except Fail as e:
                reply = b"\1" + string("ValueError") + string(str(e)) + I32.pack(self.current)
            except BaseException as e:
                if isinstance(e, (KeyboardInterrupt, SystemExit)):
                    raise
                reply = (b"\1" + string(type(e).__name__) + string(traceback.format_exc())
                         + I32.pack(self.current))
            self.send(reply)

    def slot(self, index):
        self.current = index
        s = self.slots.get(index)
        if s is None:
            raise Fail("no env in slot %d (closed, or never made)" % index)
        return s

    def handle(self, buf):
        op = buf[0]
        if op == OP_STEP:
            return self.step(buf)
        if op == OP_RESET:
            index, has_seed, seed = struct.unpack_from("<IBQ", buf, 1)
            s = self.slot(index)
            obs, _ = s.env.reset(seed=seed) if has_seed else s.env.reset()
            return b"\0" + s.obs.encode(obs)
        if op == OP_MAKE:
            env_id, pos = read_string(buf, 1)
            kwargs_text, pos = read_string(buf, pos)
            kwargs = json.loads(kwargs_text) if kwargs_text else {}
            env, description, max_steps, threshold = make_env(env_id, kwargs)
            try:
                s = Slot(env, description, max_steps, threshold)
            except BaseException:
                env.close()
                raise
            index = self.next_slot
            self.next_slot += 1
            self.slots[index] = s
            t = float("nan") if threshold is None else float(threshold)
            return (b"\0" + U32.pack(index) + s.obs.describe() + s.act.describe()
                    + I32.pack(-1 if max_steps is None else int(max_steps)) + F64.pack(t) + string(description))
        if op == OP_CLOSE:
            (index,) = U32.unpack_from(buf, 1)
            s = self.slot(index)
            del self.slots[index]
            s.env.close()
            return b"\0"
        raise Fail("unknown request op %d (protocol version %d)" % (op, PROTOCOL_VERSION))

    def step(self, buf):
        autoreset = buf[1]
        (n,) = U32.unpack_from(buf, 2)
        pos = 6
        out = [b"\0"]
        for _ in range(n):
            (index,) = U32.unpack_from(buf, pos)
            s = self.slot(index)
            action, pos = s.act.decode(buf, pos + 4)
            obs, reward, terminated, truncated, _ = s.env.step(action)
            flags = (TERMINATED if terminated else 0) | (TRUNCATED if truncated else 0)
            if autoreset and flags:
                out.append(STEP_HEAD.pack(float(reward), flags | RESET_FOLLOWS))
                out.append(s.obs.encode(obs))
                first, _ = s.env.reset()
                out.append(s.obs.encode(first))
            else:
                out.append(STEP_HEAD.pack(float(reward), flags))
                out.append(s.obs.encode(obs))
        return b"".join(out)


def string(text):
    data = text.encode("utf-8")
    return U32.pack(len(data)) + data


def read_string(buf, pos):
    (length,) = U32.unpack_from(buf, pos)
    return bytes(buf[pos + 4:pos + 4 + length]).decode("utf-8"), pos + 4 + length


def main():
    # The protocol owns the original stdin and stdout. Anything the env prints (print, C extensions writing to fd 1)
    # goes to stderr instead, where the JVM shows it, so it cannot corrupt a frame.
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull)
    Server(inp, out).serve()


main()
