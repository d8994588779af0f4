package dev.proxima.bench;

import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.optim.Adam;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One minibatch gradient step of CleanRL's CartPole agent (4-64-64 separate tanh actor and critic, 2 logits) on 64
 * rows: forward, the gradient of a synthetic squared-error loss on both outputs, backward, Adam with
 * {@code max_grad_norm = 0.5}, and the float32 weight refresh. The PPO loss itself is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class TrainStepBench {

    static final int OBS_DIM = 4;
    static final int ACTIONS = 2;
    static final int MINIBATCH = 64;

    ActorCritic net;
    Adam adam;
    float[] obs;
    double[] policy;
    double[] values;
    double[] policyTarget;
    double[] valueTarget;
    double[] dPolicy;
    double[] dValues;

    @Setup
    public void setup() {
        net = Network.DEFAULT.create(OBS_DIM, ACTIONS, 0, new SplittableRandom(1));
        adam = new Adam(net.numParams());
        SplittableRandom rng = new SplittableRandom(2);
        obs = new float[MINIBATCH * OBS_DIM];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
        }
        policy = new double[MINIBATCH * ACTIONS];
        values = new double[MINIBATCH];
        policyTarget = new double[MINIBATCH * ACTIONS];
        valueTarget = new double[MINIBATCH];
        for (int i = 0; i < policyTarget.length; i++) {
            policyTarget[i] = rng.nextGaussian();
        }
        for (int i = 0; i < valueTarget.length; i++) {
            valueTarget[i] = 10 * rng.nextGaussian();
        }
        dPolicy = new double[MINIBATCH * ACTIONS];
        dValues = new double[MINIBATCH];
    }

    /** Returns the pre-clip gradient norm. */
    @Benchmark
    public double trainStep() {
        net.forward(obs, MINIBATCH, policy, values);
        // loss = 0.5·mean((policy - target)²) + 0.5·mean((value - return)²)
        for (int i = 0; i < dPolicy.length; i++) {
            dPolicy[i] = (policy[i] - policyTarget[i]) / MINIBATCH;
        }
        for (int i = 0; i < dValues.length; i++) {
            dValues[i] = (values[i] - valueTarget[i]) / MINIBATCH;
        }
        net.zeroGrads();
        net.backward(dPolicy, dValues, MINIBATCH);
        double norm = adam.step(net.params(), net.grads(), 2.5e-4, 0.5);
        net.syncParams();
        return norm;
    }
}
