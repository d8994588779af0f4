// LunarLander-v3 (Box2D) with the rl-baselines3-zoo hyperparameters (hyperparams/ppo.yml), which are also
// preset(TUNED): 16 envs x 1024 steps, 4 epochs of 256 minibatches (batch 64), gamma 0.999, GAE lambda 0.98,
// entropy bonus 0.01, constant lr 3e-4, no value clipping. Lands (mean evaluation return above 250) within 1M steps;
// BENCHMARKS.md "Box2D" has the figures. Watch the result:
//   bin/proxima eval <run>/checkpoints/best.safetensors --gif lander.gif
ppo {
    env(LunarLander)
    rollout(numEnvs = 16, numSteps = 1024)
    gae(gamma = 0.999, lambda = 0.98)
    epochs(4)
    minibatches(256)
    lr(3e-4, anneal = false)
    entCoef(0.01)
    clip(0.2)
    clipVloss(false)
    totalSteps(1_000_000)
}
