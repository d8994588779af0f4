// CartPole-v1 with Proxima's tuned preset for it (Preset.TUNED, written out): rl-baselines3-zoo's hyperparameters
// (hyperparams/ppo.yml: 8 envs x 32 steps, gamma 0.98, gae_lambda 0.8, lr 1e-3 annealed, no entropy bonus) with one
// change: zoo takes the whole 256-row rollout as one minibatch for 20 epochs, this takes 8 minibatches of 32 rows for
// 10 epochs, which reaches the same return of 500 in less time (measured in BENCHMARKS.md). Zoo also anneals the clip
// range and does not clip the value loss; CleanRL's fixed clip and value clipping are kept here.
// ../shared/peers/scripts/cartpole-zoo-exact.ppo.kts is zoo's shape without those two differences.
ppo {
    env(CartPole)
    rollout(numEnvs = 8, numSteps = 32)
    gae(gamma = 0.98, lambda = 0.8)
    updateEpochs(10)
    numMinibatches(8)
    learningRate(1e-3)
    annealLr(true)
    entCoef(0.0)
    clip(0.2)
    totalSteps(100_000)
}
