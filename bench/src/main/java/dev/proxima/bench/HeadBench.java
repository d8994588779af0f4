package dev.proxima.bench;

import dev.proxima.core.dist.CategoricalHead;
import dev.proxima.core.dist.DiagGaussianHead;
import dev.proxima.core.dist.LogStdBound;
import dev.proxima.core.dist.MultiDiscreteHead;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.dist.TanhGaussianHead;
import dev.proxima.core.space.Box;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
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
 * The policy heads on {@code rows} rows: sampling (a rollout step of that many envs) and the update's log-probability,
 * entropy and backward (a minibatch). Compares each head with and without an action mask (half the actions valid), and
 * the tanh-squashed Gaussian with the clipped one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class HeadBench {

    /** categorical over 16 actions, MultiDiscrete [3 4 5 4], Gaussians over 6 dimensions. */
    @Param({"categorical", "categorical-masked", "multidiscrete", "multidiscrete-masked", "gaussian-clip",
            "gaussian-tanh"})
    public String head;

    @Param({"8", "128"})
    public int rows;

    PolicyHead h;
    boolean[] mask;
    double[] policyOut;
    double[] logStd;
    float[] actions;
    double[] logProb;
    double[] entropy;
    double[] dLogProb;
    double[] dEntropy;
    double[] dPolicyOut;
    double[] dLogStd;
    RandomGenerator[] rngs;

    @Setup
    public void setup() {
        h = switch (head) {
            case "categorical", "categorical-masked" -> new CategoricalHead(16);
            case "multidiscrete", "multidiscrete-masked" -> new MultiDiscreteHead(3, 4, 5, 4);
            case "gaussian-clip" -> new DiagGaussianHead(6, LogStdBound.clamp(-20.0, 2.0));
            case "gaussian-tanh" -> new TanhGaussianHead(Box.of(-2f, 2f, 6), LogStdBound.clamp(-20.0, 2.0));
            default -> throw new IllegalArgumentException(head);
        };
        SplittableRandom rng = new SplittableRandom(1);
        policyOut = new double[rows * h.policyDim()];
        for (int i = 0; i < policyOut.length; i++) {
            policyOut[i] = rng.nextGaussian();
        }
        logStd = new double[h.logStdDim()];
        if (head.endsWith("masked")) {
            mask = new boolean[rows * h.maskDim()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = i % 2 == 0; // every component keeps its even-indexed values
            }
        }
        actions = new float[rows * h.actionDim()];
        logProb = new double[rows];
        entropy = new double[rows];
        dLogProb = new double[rows];
        dEntropy = new double[rows];
        java.util.Arrays.fill(dLogProb, 0.5);
        java.util.Arrays.fill(dEntropy, -0.01);
        dPolicyOut = new double[rows * h.policyDim()];
        dLogStd = new double[h.logStdDim()];
        rngs = new RandomGenerator[rows];
        for (int i = 0; i < rows; i++) {
            rngs[i] = new SplittableRandom(100 + i);
        }
        h.sample(policyOut, logStd, mask, rows, rngs, actions, logProb);
    }

    /** One action per row, as a rollout step does. */
    @Benchmark
    public double sample() {
        h.sample(policyOut, logStd, mask, rows, rngs, actions, logProb);
        return logProb[rows - 1];
    }

    /** Log-probability, entropy and their backward pass, as a minibatch of the update does. */
    @Benchmark
    public double update() {
        h.logProbAndEntropy(policyOut, logStd, mask, actions, rows, logProb, entropy);
        h.backward(policyOut, logStd, mask, actions, rows, dLogProb, dEntropy, dPolicyOut, dLogStd);
        return dPolicyOut[0] + entropy[rows - 1];
    }
}
