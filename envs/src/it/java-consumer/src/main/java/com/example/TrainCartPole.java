package com.example;

import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.train.PpoLoop;
import dev.proxima.core.ppo.Preset;
import dev.proxima.core.train.TrainingResult;

/** Trains CartPole-v1 (found by id: proxima-envs is on the class path) and checks the policy learned something. */
public final class TrainCartPole {
    public static void main(String[] args) {
        PpoConfig config = PpoConfig.builder().env("CartPole-v1").preset(Preset.TUNED).seed(1).build();
        TrainingResult result = PpoLoop.train(config, 25_000);
        EvalResult eval = result.agent().evaluate(10, true, 42);
        System.out.printf("consumer: CartPole-v1 after %d steps: mean return %.1f over 10 episodes%n",
                result.steps(), eval.meanReturn());
        if (!(eval.meanReturn() > 100)) { // a random policy scores about 22
            throw new AssertionError("the consumer's CartPole policy did not learn: " + eval.meanReturn());
        }
    }
}
