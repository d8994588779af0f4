// CartPole-v1 with the rl-baselines3-zoo hyperparameters (hyperparams/ppo.yml): 8 envs x 32 steps, 20 epochs of
// 8 minibatches, lr 1e-3 annealed, no entropy bonus. Reaches the maximum return of 500 within 100k steps.
ppo {
    env(CartPole)
    rollout(numEnvs = 8, numSteps = 32)
    gae(gamma = 0.98, lambda = 0.8)
    epochs(20)
    minibatches(8)
    lr(1e-3, anneal = true)
    entCoef(0.0)
    clip(0.2)
    totalSteps(100_000)
}
