package dev.proxima.bench;

import dev.proxima.core.internal.ThreadTeam;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One minibatch gradient step of CleanRL's CartPole agent (4-{@code width}-{@code width} separate tanh actor and
 * critic, 2 logits) on {@code minibatch} rows: forward, the gradient of a synthetic squared-error loss on both
 * outputs, backward, Adam with {@code max_grad_norm = 0.5}, and the float32 weight refresh. The PPO loss itself is
 * not included. Defaults: CleanRL's CartPole minibatch (64) and the larger ones of longer rollouts; the wide shapes
 * of issue 12 are {@code -p width=256,512 -p minibatch=64,512}. {@code threads} is the trainer's
 * {@code optimiserThreads}: the forward/backward passes and Adam split over that many threads, e.g.
 * {@code -p threads=1,2 -p minibatch=128,256}.
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

    @Param({"64", "128", "256"})
    public int minibatch;

    @Param({"64"})
    public int width;

    @Param({"1"})
    public int threads;

    ThreadTeam team;

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
        net = Network.separate(new int[] {width, width}, new int[] {width, width}).create(OBS_DIM, ACTIONS, 0, new SplittableRandom(1));
        adam = new Adam(net.numParams());
        team = ThreadTeam.of(threads, "bench-optimiser");
        net.useThreads(team);
        adam.useThreads(team);
        SplittableRandom rng = new SplittableRandom(2);
        obs = new float[minibatch * OBS_DIM];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
        }
        policy = new double[minibatch * ACTIONS];
        values = new double[minibatch];
        policyTarget = new double[minibatch * ACTIONS];
        valueTarget = new double[minibatch];
        for (int i = 0; i < policyTarget.length; i++) {
            policyTarget[i] = rng.nextGaussian();
        }
        for (int i = 0; i < valueTarget.length; i++) {
            valueTarget[i] = 10 * rng.nextGaussian();
        }
        dPolicy = new double[minibatch * ACTIONS];
        dValues = new double[minibatch];
    }

    @TearDown
    public void tearDown() {
        team.close();
    }

    /** Returns the pre-clip gradient norm. */
    @Benchmark
    public double trainStep() {
        net.forward(obs, minibatch, policy, values);
        // loss = 0.5·mean((policy - target)²) + 0.5·mean((value - return)²)
        for (int i = 0; i < dPolicy.length; i++) {
            dPolicy[i] = (policy[i] - policyTarget[i]) / minibatch;
        }
        for (int i = 0; i < dValues.length; i++) {
            dValues[i] = (values[i] - valueTarget[i]) / minibatch;
        }
        net.zeroGrads();
        net.backward(dPolicy, dValues, minibatch);
        double norm = adam.step(net.params(), net.grads(), 2.5e-4, 0.5);
        net.syncParams();
        return norm;
    }
}
