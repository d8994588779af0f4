# One PPO-shaped training step in PyTorch, the shape of Proxima's TrainStepBench: separate 4-w-w-2 actor and 4-w-w-1
# critic (tanh), forward, 0.5*mean squared error against fixed targets on both outputs, backward,
# clip_grad_norm_(0.5), Adam(lr 2.5e-4, eps 1e-5). 1 torch thread. Prints microseconds per step (median of 5 runs).
import sys, time, torch, torch.nn as nn
torch.set_num_threads(1)
def mlp(w, out):
    return nn.Sequential(nn.Linear(4, w), nn.Tanh(), nn.Linear(w, w), nn.Tanh(), nn.Linear(w, out))
def bench(width, mb, seconds=1.0):
    torch.manual_seed(1)
    actor, critic = mlp(width, 2), mlp(width, 1)
    params = list(actor.parameters()) + list(critic.parameters())
    opt = torch.optim.Adam(params, lr=2.5e-4, eps=1e-5)
    obs = torch.randn(mb, 4)
    pt, vt = torch.randn(mb, 2), 10 * torch.randn(mb, 1)
    def step():
        loss = 0.5 * ((actor(obs) - pt) ** 2).mean() + 0.5 * ((critic(obs) - vt) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 0.5)
        opt.step()
    for _ in range(50): step()
    runs = []
    for _ in range(5):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            step(); n += 1
        runs.append((time.perf_counter() - t0) / n * 1e6)
    runs.sort()
    return runs[2], runs[0], runs[4]
for width, mb in [(64, 64), (64, 128), (64, 256), (256, 64), (256, 512), (512, 64), (512, 512)]:
    med, lo, hi = bench(width, mb)
    print(f"torch {torch.__version__} width {width} minibatch {mb}: {med:.1f} us/step (min {lo:.1f}, max {hi:.1f})", flush=True)
