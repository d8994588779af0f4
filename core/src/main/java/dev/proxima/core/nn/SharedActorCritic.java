package dev.proxima.core.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A shared trunk (every layer activated) with a linear policy head and a linear value head on its output, as
 * CleanRL's Atari {@code Agent} in {@code ppo_atari.py} ({@code network}, {@code actor}, {@code critic}). The value
 * loss then also shapes the trunk the policy reads. Parameter layout: trunk layers, policy head, value head,
 * then {@code log_std}.
 */
final class SharedActorCritic extends DenseActorCritic {

    private static final double HIDDEN_GAIN = Math.sqrt(2.0);
    private static final double POLICY_GAIN = 0.01;
    private static final double VALUE_GAIN = 1.0;

    private final int[] hidden;
    private final Activation activation;
    private final Mlp trunk;
    private final Dense policyHead;
    private final Dense valueHead;
    private final int policyOffset;
    private final int valueOffset;
    private final Mlp.Workspace trunkInfer;
    private final Mlp.Workspace trunkTrain;
    private float[][] policyRows = new float[0][];
    private float[][] valueRows = new float[0][];
    private float[][] dTrunk = new float[0][];
    private float[][] dTrunkFromValue = new float[0][];

    private SharedActorCritic(Mlp trunk, Dense policyHead, Dense valueHead, int logStdDim, int[] hidden,
            Activation activation) {
        super(trunk.inDim(), policyHead.out(), logStdDim,
                Math.addExact(trunk.numParams(), Math.addExact(policyHead.numParams(), valueHead.numParams())));
        this.trunk = trunk;
        this.policyHead = policyHead;
        this.valueHead = valueHead;
        this.hidden = hidden;
        this.activation = activation;
        this.policyOffset = trunk.numParams();
        this.valueOffset = policyOffset + policyHead.numParams();
        this.trunkInfer = trunk.newWorkspace();
        this.trunkTrain = trunk.newWorkspace();
    }

    private static SharedActorCritic build(int obsDim, int policyDim, int logStdDim, int[] hidden,
            Activation activation) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("shared network needs at least one trunk layer.");
        }
        Mlp trunk = new Mlp(activation, true, trunkSizes(obsDim, hidden));
        int width = hidden[hidden.length - 1];
        return new SharedActorCritic(trunk, new Dense(width, policyDim), new Dense(width, 1), logStdDim,
                hidden.clone(), activation);
    }

    private static int[] trunkSizes(int obsDim, int[] hidden) {
        int[] s = new int[hidden.length + 1];
        s[0] = obsDim;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        return s;
    }

    /** CleanRL's initialisation: trunk (gain √2), policy head (0.01), value head (1.0), in that order. */
    static SharedActorCritic create(int obsDim, int policyDim, int logStdDim, int[] hidden, Activation activation,
            SplittableRandom rng) {
        SharedActorCritic net = build(obsDim, policyDim, logStdDim, hidden, activation);
        double[] p = net.params();
        net.trunk.initOrthogonal(p, 0, HIDDEN_GAIN, HIDDEN_GAIN, rng);
        net.policyHead.initOrthogonal(p, net.policyOffset, POLICY_GAIN, rng);
        net.valueHead.initOrthogonal(p, net.valueOffset, VALUE_GAIN, rng);
        net.syncParams();
        return net;
    }

    @Override
    void run(float[][] obs, int n, double[] policyOut, double[] values, boolean training) {
        if (policyOut == null && values == null) {
            return;
        }
        float[][] features = trunk.forward(training ? trunkTrain : trunkInfer, obs, n);
        if (policyOut != null) {
            policyRows = ensureRows(policyRows, n, policyDim());
            policyHead.forward(features, n, policyRows);
            toFlat(policyRows, n, policyDim(), policyOut);
        }
        if (values != null) {
            valueRows = ensureRows(valueRows, n, 1);
            valueHead.forward(features, n, valueRows);
            toFlat(valueRows, n, 1, values);
        }
    }

    @Override
    void backprop(float[][] dPolicy, float[][] dValue, int n) {
        // The trunk's output feeds both heads, so its gradient is the sum of what each head sends back.
        float[][] features = trunkTrain.lastOutput();
        int width = trunk.outDim();
        dTrunk = ensureRows(dTrunk, n, width);
        dTrunkFromValue = ensureRows(dTrunkFromValue, n, width);
        if (dPolicy != null) {
            policyHead.backward(features, dPolicy, n, grads(), policyOffset, dTrunk);
        }
        if (dValue != null) {
            valueHead.backward(features, dValue, n, grads(), valueOffset, dPolicy != null ? dTrunkFromValue : dTrunk);
        }
        if (dPolicy != null && dValue != null) {
            for (int r = 0; r < n; r++) {
                Kernels.add(dTrunk[r], dTrunkFromValue[r], 0, width);
            }
        }
        trunk.backward(trunkTrain, dTrunk, n, grads(), 0, null);
    }

    @Override
    public void useThreads(dev.proxima.core.internal.ThreadTeam team) {
        trunk.useThreads(team); // the heads are a few columns: not worth a hand-off
    }

    @Override
    void load(double[] params) {
        trunk.load(params, 0);
        policyHead.load(params, policyOffset);
        valueHead.load(params, valueOffset);
    }

    @Override
    DenseActorCritic newSameArchitecture() {
        return build(obsDim(), policyDim(), logStdDim(), hidden, activation);
    }

    @Override
    String architecture() {
        return "shared(trunk=" + Arrays.toString(trunk.sizes()) + ", policy=" + policyDim() + ", value=1, "
                + activation + ")";
    }
}
