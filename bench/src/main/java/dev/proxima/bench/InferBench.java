package dev.proxima.bench;

import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference of CleanRL's CartPole agent (obs 4, separate {@code width}-{@code width} tanh actor and critic, 2
 * logits): what each env step costs during a rollout (batch 1 per env, or all envs at once). Width 64 is CleanRL's;
 * 256 and 512 are the wide networks users train on Box2D envs and their own problems (issue 12 compares them with
 * PyTorch on 1 thread), e.g. {@code -p width=256,512 -p batch=16,64}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class InferBench {

    static final int OBS_DIM = 4;
    static final int ACTIONS = 2;

    @Param({"1", "8", "64"})
    public int batch;

    @Param({"64"})
    public int width;

    ActorCritic net;
    float[] obs;
    double[] policy;
    double[] values;

    @Setup
    public void setup() {
        net = Network.separate(new int[] {width, width}, new int[] {width, width}).create(OBS_DIM, ACTIONS, 0, new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        obs = new float[batch * OBS_DIM];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
        }
        policy = new double[batch * ACTIONS];
        values = new double[batch];
    }

    /** Logits and values of {@code batch} rows; returns a value so the work cannot be dropped. */
    @Benchmark
    public double infer() {
        net.infer(obs, batch, policy, values);
        return policy[0] + values[batch - 1];
    }
}
