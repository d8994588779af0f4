package dev.proxima.bench;

import dev.proxima.core.nn.Network;
import dev.proxima.core.ppo.PpoConfig;

/**
 * Floating-point operations of one PPO update, counted analytically for a {@link Network#separate separate} MLP
 * actor-critic, so a training rate can be set against the machine's peak. What is counted (a multiply-add is 2):
 * <ul>
 *   <li>dense forward, per row: {@code 2·in·out} (matrix product) {@code + out} (bias);</li>
 *   <li>dense backward, per row: {@code 2·in·out} (weight gradient) {@code + out} (bias gradient), plus
 *       {@code 2·in·out} for the input gradient of every layer but the first;</li>
 *   <li>Adam with global-norm clipping: {@link #ADAM_PER_PARAM} per parameter per minibatch step (squared norm 2,
 *       scale 1, first moment 3, second moment 3, bias-corrected step 3);</li>
 *   <li>not counted: activations ({@code tanh} and its derivative), softmax/log-prob/entropy of the head, GAE, the
 *       env itself, copies. So the figure is a lower bound of the work done.</li>
 * </ul>
 * The rollout does one forward of both networks per env step, plus one critic forward per env copy for the value
 * after the rollout; the optimisation does {@code updateEpochs × batchSize} rows of forward and backward and
 * {@code updateEpochs × numMinibatches} Adam steps.
 */
final class Flops {
    static final int ADAM_PER_PARAM = 12;

    private Flops() {}

    /** FLOPs of one update of {@code config} on an env with {@code obsDim} inputs and {@code policyDim} head outputs. */
    static double perUpdate(PpoConfig config, int obsDim, int policyDim) {
        if (!(config.network() instanceof Network n) || n.isShared()) {
            throw new BenchException("FLOP count is written for separate MLP networks; got " + config.network());
        }
        int[] actor = layers(obsDim, n.actor(), policyDim);
        int[] critic = layers(obsDim, n.critic(), 1);
        double fwdActor = forward(actor);
        double fwdCritic = forward(critic);
        double bwd = backward(actor) + backward(critic);
        long rows = config.batchSize();
        double rollout = rows * (fwdActor + fwdCritic) + config.numEnvs() * fwdCritic;
        double optimise = (double) config.updateEpochs() * rows * (fwdActor + fwdCritic + bwd);
        double adam = (double) config.updateEpochs() * config.numMinibatches() * ADAM_PER_PARAM
                * (params(actor) + params(critic));
        return rollout + optimise + adam;
    }

    /** {@code [in, hidden..., out]}. */
    static int[] layers(int in, int[] hidden, int out) {
        int[] l = new int[hidden.length + 2];
        l[0] = in;
        System.arraycopy(hidden, 0, l, 1, hidden.length);
        l[l.length - 1] = out;
        return l;
    }

    static double forward(int[] l) {
        double f = 0;
        for (int i = 0; i + 1 < l.length; i++) {
            f += 2.0 * l[i] * l[i + 1] + l[i + 1];
        }
        return f;
    }

    static double backward(int[] l) {
        double f = 0;
        for (int i = 0; i + 1 < l.length; i++) {
            f += 2.0 * l[i] * l[i + 1] + l[i + 1];
            if (i > 0) {
                f += 2.0 * l[i] * l[i + 1];
            }
        }
        return f;
    }

    static long params(int[] l) {
        long p = 0;
        for (int i = 0; i + 1 < l.length; i++) {
            p += (long) l[i] * l[i + 1] + l[i + 1];
        }
        return p;
    }
}
